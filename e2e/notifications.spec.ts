// Notifications in the browser, across two users: the settings panel (the account's level and a room's own
// level, kept across reloads), desktop notifications while the tab is hidden (window.Notification spied on),
// `?m=` deep links as notifications open them, rooms opening at the "New messages" line, and the Web Push
// subscription made from the panel (service worker registered, subscription stored by the server).
import { createECDH, randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";
import type { NotificationSettings } from "../lib/protocol";
import {
  bearer,
  connect,
  createRoom,
  expect,
  joinRoom,
  roomJoinedInBrowser,
  sendMessage,
  sendMessages,
  test,
  uniqueRoom,
  uniqueText,
  uniqueUsername,
} from "./fixtures";

interface Spied {
  title: string;
  body: string;
  tag: string;
}
declare global {
  interface Window {
    __notes: Spied[];
    __lastNote: Notification | null;
    __hidden: boolean;
  }
}

/**
 * Before any page script: window.Notification wrapped to record each one shown, and the page's visibility
 * under the test's control (`window.__hidden`, then a visibilitychange event), as a background tab's.
 */
async function spyOnNotifications(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.__notes = [];
    window.__lastNote = null;
    window.__hidden = false;
    const Real = window.Notification;
    class Spy extends Real {
      constructor(title: string, options: NotificationOptions = {}) {
        super(title, options);
        window.__notes.push({ title, body: options.body ?? "", tag: options.tag ?? "" });
        window.__lastNote = this;
      }
    }
    window.Notification = Spy;
    Object.defineProperty(Document.prototype, "visibilityState", {
      configurable: true,
      get: () => (window.__hidden ? "hidden" : "visible"),
    });
    Object.defineProperty(Document.prototype, "hidden", { configurable: true, get: () => window.__hidden });
  });
}

async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((h) => {
    window.__hidden = h;
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);
}

async function settingsOf(page: Page, token: string): Promise<NotificationSettings> {
  const res = await page.request.get("/api/me/notifications", { headers: bearer(token) });
  expect(res.status()).toBe(200);
  return (await res.json()) as NotificationSettings;
}

test.describe("notification settings", () => {
  test("the panel changes the level and a room's own level; both are kept across a reload", async ({
    alice,
    bob,
    socket,
    signIn,
  }) => {
    const [aliceToken, bobToken] = await signIn(alice, bob);
    const aliceSocket = await connect(socket({ token: aliceToken }));
    const room = await roomJoinedInBrowser(aliceSocket, bob, "levels");
    const { page } = bob;

    await page.getByRole("button", { name: "Notification settings" }).click();
    const dialog = page.getByRole("dialog", { name: "Notifications" });
    await expect(dialog.getByRole("radio", { name: /^Mentions and direct messages/ })).toBeChecked();
    await dialog.getByRole("radio", { name: /^All messages/ }).check();
    await expect.poll(async () => (await settingsOf(page, bobToken)).level).toBe("all");
    const select = dialog.getByRole("combobox", { name: `Notifications for # ${room}` });
    await expect(select).toHaveValue("default");
    await select.selectOption({ label: "Muted" });
    await expect.poll(() => settingsOf(page, bobToken)).toEqual({ level: "all", rooms: { [room]: "none" } });
    await dialog.getByRole("button", { name: "Done" }).click();
    await expect(dialog).toBeHidden();

    await page.reload();
    await bob.chatPage.expectLive();
    await page.getByRole("button", { name: "Notification settings" }).click();
    await expect(dialog.getByRole("radio", { name: /^All messages/ })).toBeChecked();
    await expect(dialog.getByRole("combobox", { name: `Notifications for # ${room}` })).toHaveValue("none");
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();

    // the room's own bell shows it muted, and changes it
    await bob.chatPage.sidebar.room(room).click();
    await bob.chatPage.expectRoom(`# ${room}`);
    await page.getByRole("button", { name: `Notifications for # ${room} (muted)` }).click();
    const roomDialog = page.getByRole("dialog", { name: `Notifications for # ${room}` });
    await expect(roomDialog.getByRole("radio", { name: "Muted" })).toBeChecked();
    await roomDialog.getByRole("radio", { name: "Mentions only" }).check();
    await expect.poll(() => settingsOf(page, bobToken)).toEqual({ level: "all", rooms: { [room]: "mentions" } });
    await roomDialog.getByRole("button", { name: "Done" }).click();

    await page.reload();
    await bob.chatPage.expectRoom(`# ${room}`);
    await page.getByRole("button", { name: `Notifications for # ${room}`, exact: true }).click();
    await expect(roomDialog.getByRole("radio", { name: "Mentions only" })).toBeChecked();
    await roomDialog.getByRole("radio", { name: /^Default/ }).check();
    await expect.poll(() => settingsOf(page, bobToken)).toEqual({ level: "all", rooms: {} });
  });
});

test.describe("desktop notifications", () => {
  test("a mention calls Notification while the tab is hidden, a plain message in mentions mode does not; a click opens it", async ({
    alice,
    bob,
    socket,
    signIn,
  }) => {
    await bob.context.grantPermissions(["notifications"]);
    await spyOnNotifications(bob.page);
    const [aliceToken] = await signIn(alice, bob);
    const aliceSocket = await connect(socket({ token: aliceToken }));
    const room = await roomJoinedInBrowser(aliceSocket, bob, "desk");
    await bob.chatPage.expectLive();
    await setHidden(bob.page, true);

    await sendMessage(aliceSocket, uniqueText("nothing for bob"), { room });
    const mention = await sendMessage(aliceSocket, `@${bob.username} look ${uniqueText("m")}`, { room });
    // the mention is the barrier: the plain message came before it, and did not notify
    await expect.poll(() => bob.page.evaluate(() => window.__notes.length)).toBe(1);
    expect(await bob.page.evaluate(() => window.__notes)).toEqual([
      { title: `${alice.username} in #${room}`, body: mention.content, tag: `chatterbox:${room}` },
    ]);

    // clicking it brings the tab to the room, at the message
    await setHidden(bob.page, false);
    await bob.page.evaluate(() => {
      window.__lastNote?.onclick?.(new Event("click"));
    });
    await expect(bob.page).toHaveURL(`/r/${room}?m=${mention.id}`);
    await bob.chatPage.expectRoom(`# ${room}`);
    await expect(bob.chatPage.messageById(mention.id)).toBeFocused();

    // a DM notifies in mentions mode; a muted room does not, even for a mention (the DM after it is the barrier)
    await setHidden(bob.page, true);
    const res = await bob.page.request.put("/api/me/notifications", {
      data: { level: "mentions", rooms: { [room]: "none" } },
    });
    expect(res.status()).toBe(200);
    // the panel's store is what the notifier reads: a reload picks up the change made over the API
    await bob.page.reload();
    await bob.chatPage.expectLive();
    await setHidden(bob.page, true);
    await sendMessage(aliceSocket, `@${bob.username} muted ${uniqueText("x")}`, { room });
    const dm = await sendMessage(aliceSocket, uniqueText("a direct word"), { to: bob.username });
    await expect.poll(() => bob.page.evaluate(() => window.__notes.map((n) => n.body))).toEqual([dm.content]);
  });
});

test("the sound is off by default; turned on in the panel, a mention plays it", async ({
  alice,
  bob,
  socket,
  signIn,
}) => {
  // counts the notes the chime starts (WebAudio oscillators), before any page script
  await bob.page.addInitScript(() => {
    const counted = window as unknown as { __tones: number };
    counted.__tones = 0;
    // an own start() on OscillatorNode, over the inherited one it calls
    OscillatorNode.prototype.start = function (this: OscillatorNode, when?: number) {
      counted.__tones++;
      AudioScheduledSourceNode.prototype.start.call(this, when);
    };
  });
  const tones = () => bob.page.evaluate(() => (window as unknown as { __tones: number }).__tones);
  const [aliceToken] = await signIn(alice, bob);
  const aliceSocket = await connect(socket({ token: aliceToken }));
  const room = await roomJoinedInBrowser(aliceSocket, bob, "sound");
  const badge = bob.chatPage.sidebar.room(room).getByTestId("mentions");

  await sendMessage(aliceSocket, `@${bob.username} ${uniqueText("quiet")}`, { room });
  // the badge is the barrier: the message was handled, and made no sound
  await expect(badge).toHaveText("@1");
  expect(await tones()).toBe(0);

  await bob.page.getByRole("button", { name: "Notification settings" }).click();
  const dialog = bob.page.getByRole("dialog", { name: "Notifications" });
  await dialog.getByRole("checkbox", { name: "Play a sound for messages that notify" }).check();
  // turning it on plays it once, so the user knows it
  await expect.poll(tones).toBe(2);
  await bob.page.keyboard.press("Escape");
  await sendMessage(aliceSocket, `@${bob.username} ${uniqueText("loud")}`, { room });
  await expect(badge).toHaveText("@2");
  await expect.poll(tones).toBe(4);
});

test.describe("deep links and the New messages line", () => {
  test("?m= opens a room, and a DM, at an old message", async ({ alice, bob, socket, signIn }) => {
    const [aliceToken, bobToken] = await signIn(alice, bob);
    const aliceSocket = await connect(socket({ token: aliceToken }));
    const bobSocket = await connect(socket({ token: bobToken }));
    const room = uniqueRoom("deep");
    await createRoom(aliceSocket, room);
    await joinRoom(bobSocket, room);
    const old = await sendMessages(
      aliceSocket,
      Array.from({ length: 5 }, (_, i) => `old ${i} ${room}`),
      { room },
    );
    await sendMessages(
      aliceSocket,
      Array.from({ length: 70 }, (_, i) => `filler ${i}`),
      { room },
    );
    const target = old[2]!;

    await bob.page.goto(`/r/${room}?m=${target.id}`);
    await bob.chatPage.expectRoom(`# ${room}`);
    const row = bob.chatPage.messageById(target.id);
    await expect(row).toBeFocused();
    await expect(row).toBeInViewport();

    const dm = await sendMessage(aliceSocket, uniqueText("first dm"), { to: bob.username });
    await sendMessages(
      aliceSocket,
      Array.from({ length: 70 }, (_, i) => `dm filler ${i}`),
      { to: bob.username },
    );
    await bob.page.goto(`/dm/${alice.username}?m=${dm.id}`);
    await bob.chatPage.expectRoom(`@${alice.username}`);
    await expect(bob.chatPage.messageById(dm.id)).toBeFocused();
    await expect(bob.chatPage.messageById(dm.id)).toBeInViewport();
  });

  test("entering a room with unread messages shows the New messages line in view", async ({
    alice,
    bob,
    socket,
    signIn,
  }) => {
    const [aliceToken] = await signIn(alice, bob);
    const aliceSocket = await connect(socket({ token: aliceToken }));
    const room = uniqueRoom("unread");
    await createRoom(aliceSocket, room);
    await sendMessages(
      aliceSocket,
      Array.from({ length: 30 }, (_, i) => `read ${i}`),
      { room },
    );
    await bob.chatPage.sidebar.joinFromDirectory(room);
    await bob.chatPage.sidebar.room("general").click();
    await bob.chatPage.expectRoom("# general");

    const unread = await sendMessages(
      aliceSocket,
      Array.from({ length: 40 }, (_, i) => `unread ${i}`),
      { room },
    );
    await bob.chatPage.sidebar.expectUnread(bob.chatPage.sidebar.room(room), 40);
    await bob.chatPage.sidebar.room(room).click();
    await bob.chatPage.expectRoom(`# ${room}`);
    const line = bob.page.getByTestId("new-messages");
    await expect(line).toBeInViewport();
    await expect(bob.chatPage.messageById(unread[0]!.id)).toBeInViewport();
    // not at the newest: it stays unread until the reader gets there
    await expect(bob.chatPage.messageById(unread.at(-1)!.id)).not.toBeInViewport();
    await expect(bob.chatPage.jumpToLatest).toBeVisible();
  });
});

test.describe("Web Push", () => {
  test("enabling desktop notifications registers the service worker and stores the subscription", async ({
    bob,
    serverURL,
    signIn,
  }) => {
    await bob.context.grantPermissions(["notifications"]);
    // Headless Chromium cannot subscribe (subscribe() fails: "Registration failed - permission denied"): only
    // the browser's pushManager.subscribe (and getSubscription) is replaced, returning a subscription with real
    // P-256 and auth keys; the service worker, the key fetch, the POST and the DELETE are the real ones
    const ecdh = createECDH("prime256v1");
    ecdh.generateKeys();
    const fake = {
      endpoint: `https://203.0.113.7/push/${randomBytes(8).toString("hex")}`,
      p256dh: ecdh.getPublicKey().toString("base64url"),
      auth: randomBytes(16).toString("base64url"),
    };
    await bob.page.addInitScript((sub) => {
      let held: PushSubscription | null = null;
      PushManager.prototype.subscribe = function (options?: PushSubscriptionOptionsInit) {
        const key = options?.applicationServerKey;
        const made = {
          endpoint: sub.endpoint,
          expirationTime: null,
          options: { applicationServerKey: key instanceof Uint8Array ? key.buffer : null, userVisibleOnly: true },
          getKey: () => null,
          toJSON: () => ({
            endpoint: sub.endpoint,
            expirationTime: null,
            keys: { p256dh: sub.p256dh, auth: sub.auth },
          }),
          unsubscribe: () => {
            held = null;
            return Promise.resolve(true);
          },
        };
        held = made as unknown as PushSubscription;
        return Promise.resolve(held);
      };
      PushManager.prototype.getSubscription = () => Promise.resolve(held);
    }, fake);
    await signIn(bob);

    const isPush = (method: string) => (r: { url(): string; method(): string }) =>
      r.url().endsWith("/api/push/subscriptions") && r.method() === method;
    await bob.page.getByRole("button", { name: "Notification settings" }).click();
    const dialog = bob.page.getByRole("dialog", { name: "Notifications" });
    // permission granted beforehand: on for this tab, not yet for when no tab is open
    await expect(dialog.getByTestId("desktop-status")).toHaveText("On: shown while Chatterbox is in the background.");
    await expect(dialog.getByText("Only while a Chatterbox tab is open.")).toBeVisible();
    await dialog.getByRole("button", { name: "Turn off desktop notifications" }).click();
    await expect(dialog.getByTestId("desktop-status")).toHaveText("Off.");

    const posted = bob.page.waitForResponse((r) => isPush("POST")(r.request()));
    await dialog.getByRole("button", { name: "Enable desktop notifications" }).click();
    const post = await posted;
    expect(post.status()).toBe(201);
    // the subscription's JSON, as the protocol takes it (expirationTime is not part of it)
    expect(post.request().postDataJSON()).toEqual({
      endpoint: fake.endpoint,
      keys: { p256dh: fake.p256dh, auth: fake.auth },
    });
    await expect(dialog.getByText("Also delivered when no Chatterbox tab is open (Web Push).")).toBeVisible();
    const registered = await bob.page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration("/sw.js");
      return reg?.active?.scriptURL ?? null;
    });
    expect(registered).toBe(`${serverURL}/sw.js`);

    // the server held it: removing it answers 200 (a 404 when it holds none there)
    const deleted = bob.page.waitForResponse((r) => isPush("DELETE")(r.request()));
    await dialog.getByRole("button", { name: "Turn off desktop notifications" }).click();
    const del = await deleted;
    expect(del.request().postDataJSON()).toEqual({ endpoint: fake.endpoint });
    expect(del.status()).toBe(200);
    await expect(dialog.getByRole("button", { name: "Enable desktop notifications" })).toBeVisible();
  });
});

test.describe("screenshots", () => {
  const shot = (name: string) =>
    fileURLToPath(
      new URL(`../${process.env.UPDATE_SCREENSHOTS ? "docs" : "test-results/screenshots"}/${name}`, import.meta.url),
    );
  const sizes = {
    desktop: { viewport: { width: 1440, height: 900 } },
    mobile: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  };
  for (const [size, options] of Object.entries(sizes)) {
    for (const colorScheme of ["light", "dark"] as const) {
      test(`the notification settings dialog, ${size}, ${colorScheme}`, async ({ newUser, socket, signIn }) => {
        const ada = await newUser("ada", { ...options, colorScheme }, uniqueUsername("ada", 2));
        const [token] = await signIn(ada);
        const adaSocket = await connect(socket({ token }));
        for (const room of ["design", "ops"]) await createRoom(adaSocket, uniqueRoom(room));
        await ada.chatPage.expectLive();
        // the top bar with its bell, to look at (not for the docs)
        await ada.page.screenshot({ path: `test-results/screenshots/topbar-${size}-${colorScheme}.png` });
        await ada.page.getByRole("button", { name: "Notification settings" }).click();
        const dialog = ada.page.getByRole("dialog", { name: "Notifications" });
        await expect(dialog.getByRole("combobox")).toHaveCount(3);
        await dialog.getByRole("combobox").nth(1).selectOption({ label: "Muted" });
        await expect(dialog.getByRole("combobox").nth(1)).toHaveValue("none");
        await ada.page.screenshot({ path: shot(`screenshot-notifications-${size}-${colorScheme}.png`) });
      });
    }
  }
});
