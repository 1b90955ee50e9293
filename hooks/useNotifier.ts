"use client";
// In-page notifications for messages that arrive live and that the user's settings select (lib/notify/levels.ts,
// the rule the server's Web Push follows too): a desktop notification while the tab is hidden (permission
// granted, not turned off here), and the chime when the sound is on, unless the message's room is on screen.
// Clicking a notification brings the tab forward at that message.
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { wantsNotification } from "@/lib/notify/levels";
import type { Message } from "@/lib/protocol";
import type { ChatClient } from "@/lib/web/chat-client";
import { playChime } from "@/lib/web/chime";
import { notificationContent } from "@/lib/web/notify";
import { enablePush, hasPushSubscription } from "@/lib/web/push";
import { roomKey } from "@/lib/web/routes";
import { DEFAULT_SETTINGS, notifySettingsStore } from "./useNotificationSettings";
import { readNotifyPrefs } from "./useNotifyPrefs";

/** Whether the page may show desktop notifications now. */
export const desktopAllowed = (): boolean =>
  typeof window !== "undefined" && "Notification" in window && Notification.permission === "granted";

export function useNotifier(client: ChatClient): void {
  const router = useRouter();

  useEffect(() => {
    void notifySettingsStore().load();
    // a subscription this browser already holds is given to the server again (its database may be new)
    if (readNotifyPrefs().desktop && desktopAllowed()) {
      void hasPushSubscription()
        .then((has) => (has ? enablePush(client.http) : undefined))
        .catch(() => undefined);
    }
  }, [client]);

  useEffect(() => {
    const show = (message: Message) => {
      const content = notificationContent(message);
      const notification = new Notification(content.title, { body: content.body, tag: content.tag, icon: "/icon.svg" });
      notification.onclick = () => {
        window.focus();
        notification.close();
        router.push(content.href);
      };
    };
    return client.onLive((messages) => {
      const settings = notifySettingsStore().store.getState().settings ?? DEFAULT_SETTINGS;
      const picked = messages.filter((m) => wantsNotification(settings, client.me, m));
      const hidden = document.visibilityState !== "visible";
      const viewing = client.store.getState().viewing;
      // in a visible tab, the room being read needs no call for attention
      const calling = picked.filter((m) => hidden || viewing !== roomKey(m.room));
      if (calling.length === 0) return;
      const prefs = readNotifyPrefs();
      if (prefs.sound) playChime();
      if (hidden && prefs.desktop && desktopAllowed()) calling.forEach(show);
    });
  }, [client, router]);
}
