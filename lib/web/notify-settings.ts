// The user's notification settings (SPEC.md "Mentions and notifications") as the page holds them: loaded from
// GET /api/me/notifications, changed optimistically and saved with PUT (one save at a time, in order; a
// refused one puts back what the server last confirmed). Every tab of the browser gets a saved change at once
// (BroadcastChannel), so a hidden tab's notifications follow it. One store per page: the settings panel, the
// room menus and the notifier all read it.
import type { Http } from "../client/http";
import type { NotificationSettings } from "../protocol";
import { createStore, type Store } from "./store";

export interface NotifySettingsState {
  /** null until loaded */
  settings: NotificationSettings | null;
  /** a load or save that failed, for the panel to show */
  error: string | null;
  /** a save is on its way */
  saving: boolean;
}

type Action =
  | { type: "settings"; settings: NotificationSettings }
  | { type: "error"; error: string | null }
  | { type: "saving"; saving: boolean };

function reducer(state: NotifySettingsState, action: Action): NotifySettingsState {
  switch (action.type) {
    case "settings":
      return { ...state, settings: action.settings, error: null };
    case "error":
      return state.error === action.error ? state : { ...state, error: action.error };
    case "saving":
      return state.saving === action.saving ? state : { ...state, saving: action.saving };
  }
}

const CHANNEL = "chatterbox:notification-settings";
const describe = (err: unknown) => (err instanceof Error ? err.message : "unknown error");

export class NotifySettingsStore {
  readonly store: Store<NotifySettingsState, Action>;
  /** what the server last confirmed: a refused save goes back to it */
  private confirmed: NotificationSettings | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** counts saves started: a load answered after one began is older than what is shown */
  private saves = 0;
  private readonly channel: BroadcastChannel | null;

  constructor(private readonly http: Pick<Http, "notificationSettings" | "saveNotificationSettings">) {
    this.store = createStore(reducer, { settings: null, error: null, saving: false });
    this.channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(CHANNEL) : null;
    this.channel?.addEventListener("message", (e: MessageEvent<NotificationSettings>) => this.apply(e.data));
  }

  private apply(settings: NotificationSettings): void {
    this.confirmed = settings;
    this.store.dispatch({ type: "settings", settings });
  }

  private loading: Promise<void> | null = null;

  /** Fetches them unless they are loaded or on their way. */
  ensureLoaded = (): Promise<void> => {
    if (this.store.getState().settings) return Promise.resolve();
    this.loading ??= this.load().finally(() => (this.loading = null));
    return this.loading;
  };

  /** Fetches the settings (again): the chat's start does, so a new sign-in never sees the last one's. */
  load = async (): Promise<void> => {
    const before = this.saves;
    try {
      const settings = await this.http.notificationSettings();
      // a save started meanwhile wins: the load may have been answered before it
      if (this.saves === before) this.apply(settings);
    } catch (err) {
      this.store.dispatch({ type: "error", error: `Could not load your notification settings: ${describe(err)}` });
    }
  };

  /** Shows `next` at once and saves it; resolves with whether the server took it. */
  save = (next: NotificationSettings): Promise<boolean> => {
    this.saves++;
    this.store.dispatch({ type: "settings", settings: next });
    this.store.dispatch({ type: "saving", saving: true });
    const run = async () => {
      try {
        const saved = await this.http.saveNotificationSettings(next);
        this.confirmed = saved;
        this.channel?.postMessage(saved);
        // a later change already shown stays shown: its own save follows
        if (this.store.getState().settings === next) this.store.dispatch({ type: "settings", settings: saved });
        return true;
      } catch (err) {
        if (this.confirmed) this.store.dispatch({ type: "settings", settings: this.confirmed });
        this.store.dispatch({ type: "error", error: `Could not save your notification settings: ${describe(err)}` });
        return false;
      }
    };
    const done = this.queue.then(run);
    this.queue = done;
    void done.then(() => {
      if (this.queue === done) this.store.dispatch({ type: "saving", saving: false });
    });
    return done;
  };
}
