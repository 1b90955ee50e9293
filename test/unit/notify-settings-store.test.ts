import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/client/errors";
import type { NotificationSettings } from "@/lib/protocol";
import { NotifySettingsStore } from "@/lib/web/notify-settings";

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A fake server: each call waits until the test answers it. */
function fakeHttp() {
  const loads: ReturnType<typeof deferred<NotificationSettings>>[] = [];
  const saves: { body: NotificationSettings; answer: ReturnType<typeof deferred<NotificationSettings>> }[] = [];
  return {
    loads,
    saves,
    http: {
      notificationSettings: () => {
        const d = deferred<NotificationSettings>();
        loads.push(d);
        return d.promise;
      },
      saveNotificationSettings: (body: NotificationSettings) => {
        const answer = deferred<NotificationSettings>();
        saves.push({ body, answer });
        return answer.promise;
      },
    },
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));
const MENTIONS: NotificationSettings = { level: "mentions", rooms: {} };
const ALL: NotificationSettings = { level: "all", rooms: {} };

describe("NotifySettingsStore", () => {
  it("shows a change at once, saves one at a time in order, and ends with the server's answer", async () => {
    const { http, loads, saves } = fakeHttp();
    const store = new NotifySettingsStore(http);
    void store.load();
    loads[0]!.resolve(MENTIONS);
    await flush();
    const muted = { level: "all" as const, rooms: { dev: "none" as const } };
    const first = store.save(ALL);
    const second = store.save(muted);
    expect(store.store.getState()).toMatchObject({ settings: muted, saving: true });
    await flush();
    expect(saves.map((s) => s.body)).toEqual([ALL]); // the second waits for the first
    saves[0]!.answer.resolve(ALL);
    expect(await first).toBe(true);
    await flush();
    // the newer change stays shown while its own save runs
    expect(store.store.getState().settings).toBe(muted);
    expect(saves.map((s) => s.body)).toEqual([ALL, muted]);
    saves[1]!.answer.resolve(muted);
    expect(await second).toBe(true);
    await flush();
    expect(store.store.getState()).toMatchObject({ settings: muted, saving: false, error: null });
  });

  it("puts back what the server last confirmed when a save is refused, and says why", async () => {
    const { http, loads, saves } = fakeHttp();
    const store = new NotifySettingsStore(http);
    void store.load();
    loads[0]!.resolve(MENTIONS);
    await flush();
    const saved = store.save(ALL);
    await flush();
    saves[0]!.answer.reject(new ApiError(422, "rooms: you are not in a room named x"));
    expect(await saved).toBe(false);
    await flush();
    expect(store.store.getState()).toMatchObject({
      settings: MENTIONS,
      saving: false,
      error: "Could not save your notification settings: rooms: you are not in a room named x",
    });
  });

  it("ignores a load answered after a save began (it may predate the save)", async () => {
    const { http, loads, saves } = fakeHttp();
    const store = new NotifySettingsStore(http);
    void store.load();
    const saved = store.save(ALL);
    await flush();
    saves[0]!.answer.resolve(ALL);
    await saved;
    loads[0]!.resolve(MENTIONS); // the stale answer arrives last
    await flush();
    expect(store.store.getState().settings).toEqual(ALL);
    // a load started after the save is applied
    void store.load();
    loads[1]!.resolve({ level: "none", rooms: {} });
    await flush();
    expect(store.store.getState().settings).toEqual({ level: "none", rooms: {} });
  });

  it("ensureLoaded asks once while a load is on its way, and not at all once loaded", async () => {
    const { http, loads } = fakeHttp();
    const store = new NotifySettingsStore(http);
    const first = store.ensureLoaded();
    const second = store.ensureLoaded();
    expect(loads).toHaveLength(1);
    loads[0]!.resolve(ALL);
    await Promise.all([first, second]);
    expect(store.store.getState().settings).toEqual(ALL);
    await store.ensureLoaded();
    expect(loads).toHaveLength(1);
    void store.load(); // a fresh load still goes
    expect(loads).toHaveLength(2);
  });
});
