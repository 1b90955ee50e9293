"use client";
// The keyboard shortcuts' one document listener (see lib/web/shortcuts.ts for the keys): registered once
// per chat layout, it reads the latest rooms and page from the store and the URL when a key comes.
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { findRoom } from "@/lib/web/chat-state";
import { summaryHref, targetKey, targetOf } from "@/lib/web/routes";
import {
  isTextField,
  shortcutOf,
  showLatest,
  stepConversation,
  stepUnread,
  type ShortcutAction,
} from "@/lib/web/shortcuts";
import { useChat } from "./useChat";

interface Options {
  openSwitcher: () => void;
  openSheet: () => void;
  /** the phone drawer is open: its own Escape closes it */
  drawerOpen: boolean;
}

/** Something else has the keyboard: a modal dialog, a popover, the emoji picker. */
export function overlayOpen(): boolean {
  if (document.querySelector("dialog[open], .emoji-picker")) return true;
  try {
    return document.querySelector(":popover-open") !== null;
  } catch {
    return false; // a browser without popovers has none open
  }
}

export function useShortcuts(options: Options): void {
  const client = useChat();
  const router = useRouter();
  const pathname = usePathname();
  const latest = useRef({ ...options, pathname });
  useEffect(() => {
    latest.current = { ...options, pathname };
  });

  useEffect(() => {
    const go = (action: ShortcutAction) => {
      const { rooms } = client.store.getState();
      const target = targetOf(latest.current.pathname);
      const current = target ? targetKey(target, client.me) : null;
      const to =
        action === "next" || action === "previous"
          ? stepConversation(rooms, current, action === "next" ? 1 : -1)
          : stepUnread(rooms, current, action === "nextUnread" ? 1 : -1);
      if (to) router.push(summaryHref(to));
    };
    const readAndShowLatest = () => {
      const target = targetOf(latest.current.pathname);
      const room = target && findRoom(client.store.getState(), targetKey(target, client.me));
      if (room && room.lastMessageId > room.lastReadId) client.markRead(room.name, room.lastMessageId);
      showLatest();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return; // the composer's Escape (cancel edit), an IME
      const action = shortcutOf(e, isTextField(document.activeElement));
      if (!action) return;
      if (overlayOpen()) {
        if (action === "switcher") e.preventDefault(); // not the browser's search box over a dialog
        return;
      }
      if (action === "latest" && latest.current.drawerOpen) return;
      e.preventDefault();
      if (action === "switcher") latest.current.openSwitcher();
      else if (action === "sheet") latest.current.openSheet();
      else if (action === "latest") readAndShowLatest();
      else go(action);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [client, router]);
}
