"use client";
// This browser's own notification choices, remembered in localStorage and shared by its tabs (the storage
// event): desktop notifications (on once permission is granted, unless turned off here) and the sound (off
// by default). The level and room overrides are the account's, on the server (useNotificationSettings).
import { useCallback, useSyncExternalStore } from "react";

export interface NotifyPrefs {
  desktop: boolean;
  sound: boolean;
}

const KEY = "chatterbox:notify-prefs";
const DEFAULTS: NotifyPrefs = { desktop: true, sound: false };
const listeners = new Set<() => void>();
/** the choice when storage is disabled: kept for this page only */
let unsaved: NotifyPrefs | null = null;
/** the last value read, so the snapshot stays the same object while nothing changed */
let cache: { raw: string | null; prefs: NotifyPrefs } | null = null;

function parse(raw: string | null): NotifyPrefs {
  try {
    const value: unknown = raw ? JSON.parse(raw) : null;
    if (!value || typeof value !== "object") return DEFAULTS;
    const v = value as Partial<Record<keyof NotifyPrefs, unknown>>;
    return {
      desktop: typeof v.desktop === "boolean" ? v.desktop : DEFAULTS.desktop,
      sound: typeof v.sound === "boolean" ? v.sound : DEFAULTS.sound,
    };
  } catch {
    return DEFAULTS;
  }
}

/** The current choices (also for code outside React: the notifier reads them per message). */
export function readNotifyPrefs(): NotifyPrefs {
  let raw: string | null;
  try {
    raw = localStorage.getItem(KEY);
  } catch {
    return unsaved ?? DEFAULTS;
  }
  if (cache?.raw !== raw) cache = { raw, prefs: parse(raw) };
  return cache.prefs;
}

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  window.addEventListener("storage", onChange);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener("storage", onChange);
  };
}

export function useNotifyPrefs(): [NotifyPrefs, (patch: Partial<NotifyPrefs>) => void] {
  const prefs = useSyncExternalStore(subscribe, readNotifyPrefs, () => DEFAULTS);
  const set = useCallback((patch: Partial<NotifyPrefs>) => {
    const next = { ...readNotifyPrefs(), ...patch };
    try {
      localStorage.setItem(KEY, JSON.stringify(next));
    } catch {
      unsaved = next;
    }
    for (const l of listeners) l();
  }, []);
  return [prefs, set];
}
