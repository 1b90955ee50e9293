"use client";
// The page's one notification settings store (lib/web/notify-settings.ts), for any component: the settings
// panel wherever it is mounted, a room's menu, the notifier. A reader loads them unless they are loaded; the
// panel (`fresh`) loads them again on opening.
import { useEffect, useSyncExternalStore } from "react";
import { createHttp } from "@/lib/client/http";
import { DEFAULT_NOTIFY_LEVEL, type NotificationSettings } from "@/lib/protocol";
import { NotifySettingsStore, type NotifySettingsState } from "@/lib/web/notify-settings";

let shared: NotifySettingsStore | null = null;

/** Created on first use in the browser (never on the server, where module state would be every user's). */
export function notifySettingsStore(): NotifySettingsStore {
  shared ??= new NotifySettingsStore(createHttp({ baseUrl: "" }));
  return shared;
}

/** What applies until the settings are loaded: the server's defaults. */
export const DEFAULT_SETTINGS: NotificationSettings = { level: DEFAULT_NOTIFY_LEVEL, rooms: {} };

const SERVER_STATE: NotifySettingsState = { settings: null, error: null, saving: false };
const subscribe = (onChange: () => void) => notifySettingsStore().store.subscribe(onChange);
const snapshot = () => notifySettingsStore().store.getState();

export function useNotificationSettings({ fresh = false } = {}): NotifySettingsState & {
  save: NotifySettingsStore["save"];
} {
  const state = useSyncExternalStore(subscribe, snapshot, () => SERVER_STATE);
  useEffect(() => {
    const store = notifySettingsStore();
    void (fresh ? store.load() : store.ensureLoaded());
  }, [fresh]);
  return { ...state, save: (next) => notifySettingsStore().save(next) };
}
