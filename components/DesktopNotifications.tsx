"use client";
// Desktop notifications, Web Push and the sound, for this browser: permission is asked only when the user
// presses "Enable desktop notifications" (never on load). Enabling also subscribes this browser to Web Push
// (public/sw.js), so notifications come with no tab open; turning off unsubscribes it. Permission denied, or a
// browser without notifications, leaves nothing subscribed.
import { useEffect, useId, useState, useSyncExternalStore } from "react";
import { useNotifyPrefs } from "@/hooks/useNotifyPrefs";
import { createHttp } from "@/lib/client/http";
import { playChime } from "@/lib/web/chime";
import { disablePush, enablePush, hasPushSubscription, pushSupported } from "@/lib/web/push";
import styles from "./notifications.module.css";

const http = createHttp({ baseUrl: "" });

type Permission = NotificationPermission | "unsupported";
/** this browser's Web Push: unknown until looked at; failed with why (e.g. no push service) */
type Push = { state: "unknown" | "on" | "off" | "unsupported" } | { state: "failed"; detail: string };

const permissionNow = (): Permission => ("Notification" in window ? Notification.permission : "unsupported");
const permissionListeners = new Set<() => void>();

/** The page's notification permission, followed as it changes (here, or in the browser's site settings). */
function subscribePermission(onChange: () => void): () => void {
  permissionListeners.add(onChange);
  let status: PermissionStatus | null = null;
  navigator.permissions
    ?.query({ name: "notifications" })
    .then((s) => {
      status = s;
      s.addEventListener("change", onChange);
    })
    .catch(() => undefined);
  return () => {
    permissionListeners.delete(onChange);
    status?.removeEventListener("change", onChange);
  };
}

async function requestPermission(): Promise<Permission> {
  if (permissionNow() !== "default") return permissionNow();
  const result = await Notification.requestPermission();
  for (const l of permissionListeners) l();
  return result;
}

const NO_CHANGE = () => () => undefined;
const describe = (err: unknown) => (err instanceof Error ? err.message : "unknown error");

export function DesktopNotifications() {
  const headingId = useId();
  const [prefs, setPrefs] = useNotifyPrefs();
  const permission = useSyncExternalStore(subscribePermission, permissionNow, () => "default" as const);
  const supported = useSyncExternalStore(NO_CHANGE, pushSupported, () => false);
  const [looked, setPush] = useState<Push>({ state: "unknown" });
  const push: Push = supported ? looked : { state: "unsupported" };
  const [busy, setBusy] = useState(false);

  // without permission nothing stays subscribed; with it, whether this browser is
  useEffect(() => {
    if (!supported) return;
    const clear = permission === "granted" ? Promise.resolve() : disablePush(http).catch(() => undefined);
    void clear.then(hasPushSubscription).then((has) => setPush({ state: has ? "on" : "off" }));
  }, [supported, permission]);

  const enable = async () => {
    setBusy(true);
    const result = await requestPermission();
    setPrefs({ desktop: result === "granted" });
    if (result !== "granted") {
      await disablePush(http).catch(() => undefined);
      setPush({ state: "off" });
    } else if (supported) {
      await enablePush(http).then(
        () => setPush({ state: "on" }),
        (err: unknown) => setPush({ state: "failed", detail: describe(err) }),
      );
    }
    setBusy(false);
  };

  const subscribe = async () => {
    setBusy(true);
    await enablePush(http).then(
      () => setPush({ state: "on" }),
      (err: unknown) => setPush({ state: "failed", detail: describe(err) }),
    );
    setBusy(false);
  };

  const disable = async () => {
    setBusy(true);
    setPrefs({ desktop: false });
    await disablePush(http).catch(() => undefined);
    setPush({ state: "off" });
    setBusy(false);
  };

  const on = permission === "granted" && prefs.desktop;
  return (
    <section aria-labelledby={headingId}>
      <h3 className={styles.heading} id={headingId}>
        Desktop notifications
      </h3>
      <p
        className={styles.status}
        data-testid="desktop-status"
        data-state={on ? "on" : permission === "denied" ? "blocked" : "off"}
      >
        {statusText(permission, on)}
      </p>
      {on ? <p className={styles.note}>{pushText(push)}</p> : null}
      <div className={styles.actions}>
        {permission === "unsupported" || permission === "denied" ? null : on ? (
          <>
            {push.state === "off" || push.state === "failed" ? (
              <button type="button" className="button" disabled={busy} onClick={() => void subscribe()}>
                Also when no tab is open
              </button>
            ) : null}
            <button type="button" className="ghost" disabled={busy} onClick={() => void disable()}>
              Turn off desktop notifications
            </button>
          </>
        ) : (
          <button type="button" className="button" disabled={busy} onClick={() => void enable()}>
            Enable desktop notifications
          </button>
        )}
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={prefs.sound}
          onChange={(e) => {
            setPrefs({ sound: e.target.checked });
            // heard once on turning it on: the user knows it, and the page may play sound from now on
            if (e.target.checked) playChime();
          }}
        />
        Play a sound for messages that notify
      </label>
    </section>
  );
}

function statusText(permission: Permission, on: boolean): string {
  if (permission === "unsupported") return "This browser cannot show notifications.";
  if (permission === "denied")
    return "Notifications are blocked for this site: allow them in the browser's site settings, then reload.";
  if (on) return "On: shown while Chatterbox is in the background.";
  return "Off.";
}

function pushText(push: Push): string {
  switch (push.state) {
    case "on":
      return "Also delivered when no Chatterbox tab is open (Web Push).";
    case "off":
      return "Only while a Chatterbox tab is open.";
    case "unsupported":
      return "Only while a Chatterbox tab is open: this browser has no Web Push here.";
    case "failed":
      return `Only while a Chatterbox tab is open: Web Push failed (${push.detail}).`;
    case "unknown":
      return "";
  }
}
