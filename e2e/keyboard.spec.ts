// Keyboard shortcuts in the browser: Ctrl/Cmd+K quick switcher, Alt+↑/↓ through the sidebar, Alt+Shift+↑/↓
// to the conversations with unread messages (another user writes them), Escape to mark read and show the
// newest, and the `?` sheet. Dialogs are labelled, and focus goes back where it was when they close.
import {
  apiLogin,
  apiRegister,
  bearer,
  connect,
  createRoom,
  expect,
  sendMessage,
  sendMessages,
  test,
  uniqueRoom,
  uniqueText,
  uniqueUsername,
  type ChatClient,
  type ChatUser,
} from "./fixtures";
import type { APIRequestContext } from "@playwright/test";
import type { RoomSummary } from "../lib/protocol";

/** A second person who writes over a socket (registered and connected). */
async function writer(request: APIRequestContext, socket: (auth: { token: string }) => ChatClient) {
  const username = uniqueUsername("writer");
  await apiRegister(request, username);
  const token = await apiLogin(request, username);
  return { username, socket: await connect(socket({ token })) };
}

async function unreadOf(request: APIRequestContext, token: string, room: string): Promise<number | undefined> {
  const res = await request.get("/api/rooms", { headers: bearer(token) });
  const { rooms } = (await res.json()) as { rooms: RoomSummary[] };
  return rooms.find((r) => r.name === room)?.unread;
}

const switcher = (user: ChatUser) => user.page.getByRole("dialog", { name: "Jump to a conversation" });

test.describe("keyboard shortcuts", () => {
  test("Ctrl+K opens the quick switcher: filter, arrows and Enter go there, Escape closes it", async ({
    alice,
    request,
    socket,
    signIn,
  }) => {
    const peer = uniqueUsername("kpeer"); // there before alice's page lists people
    await apiRegister(request, peer);
    const [token] = await signIn(alice);
    const own = await connect(socket({ token }));
    const [dev, design] = [uniqueRoom("kdev"), uniqueRoom("kdesign")];
    await createRoom(own, dev);
    await createRoom(own, design);
    const { page, chatPage } = alice;
    await expect(chatPage.sidebar.room(design)).toBeVisible();

    // Escape closes it and gives focus back to the composer it was opened from
    await chatPage.composer.focus();
    await page.keyboard.press("Control+k");
    const dialog = switcher(alice);
    await expect(dialog).toBeVisible();
    const filter = dialog.getByRole("combobox", { name: "Find a room, direct message or person" });
    await expect(filter).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(chatPage.composer).toBeFocused();

    // type to filter, ↓ to the second match, Enter: that room
    await page.keyboard.press("Control+k");
    await filter.fill("kd");
    const options = dialog.getByRole("option");
    await expect(options).toHaveText([new RegExp(design), new RegExp(dev)]); // by name
    await expect(options.first()).toHaveAttribute("aria-selected", "true");
    await page.keyboard.press("ArrowDown");
    await expect(options.nth(1)).toHaveAttribute("aria-selected", "true");
    await expect(filter).toHaveAttribute("aria-activedescendant", (await options.nth(1).getAttribute("id")) ?? "");
    await page.keyboard.press("Enter");
    await expect(dialog).toBeHidden();
    await expect(page).toHaveURL(`/r/${dev}`);
    await chatPage.expectRoom(`# ${dev}`);

    // people are there too (no DM with them yet): Enter opens the conversation
    await page.keyboard.press("Control+k");
    await filter.fill(`@${peer}`);
    await expect(options).toHaveCount(1);
    await expect(options.first()).toContainText("person");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(`/dm/${peer}`);

    // nothing matches: it says so, and Enter stays put
    await page.keyboard.press("Control+k");
    await filter.fill("zzz-no-such-name");
    await expect(dialog.getByText("Nobody and nothing by that name.")).toBeVisible();
    await page.keyboard.press("Enter");
    await expect(dialog).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(page).toHaveURL(`/dm/${peer}`);
  });

  test("Alt+↓/↑ move through the sidebar's conversations, stopping at the ends", async ({ alice, socket, signIn }) => {
    const [token] = await signIn(alice);
    const own = await connect(socket({ token }));
    const rooms = [uniqueRoom("ka"), uniqueRoom("kb")].sort();
    for (const room of rooms) await createRoom(own, room);
    const { page, chatPage } = alice;
    await expect(chatPage.sidebar.room(rooms[1]!)).toBeVisible();
    // general first, then rooms by name: the links in the sidebar, in order
    const links = chatPage.sidebar.rooms.getByRole("link");
    const order = await links.evaluateAll((els) => els.map((el) => el.getAttribute("data-room") ?? ""));
    expect(order[0]).toBe("general");
    const last = order.at(-1)!;

    await chatPage.composer.focus(); // works while typing too
    await page.keyboard.press("Alt+ArrowDown");
    await expect(page).toHaveURL(`/r/${order[1]}`);
    await expect(chatPage.sidebar.room(order[1]!)).toHaveAttribute("aria-current", "page");
    await page.keyboard.press("Alt+ArrowUp");
    await expect(page).toHaveURL("/r/general");
    await page.keyboard.press("Alt+ArrowUp"); // the top: stays
    await expect(chatPage.sidebar.room("general")).toHaveAttribute("aria-current", "page");
    for (let i = 1; i < order.length; i++) {
      await page.keyboard.press("Alt+ArrowDown");
      await expect(page).toHaveURL(`/r/${order[i]}`);
    }
    await expect(chatPage.sidebar.room(last)).toHaveAttribute("aria-current", "page");
  });

  test("Alt+Shift+↓/↑ go to the conversations with unread messages, in sidebar order", async ({
    alice,
    request,
    socket,
    signIn,
  }) => {
    const [token] = await signIn(alice);
    const own = await connect(socket({ token }));
    const [quiet, busy] = [uniqueRoom("kq1"), uniqueRoom("kq2")];
    const bob = await writer(request, socket);
    for (const room of [quiet, busy]) {
      await createRoom(own, room);
      await own.timeout(5_000).emitWithAck("room:invite", { room, username: bob.username });
    }
    const { page, chatPage } = alice;
    const { sidebar } = chatPage;
    await expect(sidebar.room(busy)).toBeVisible();

    // bob writes in one room and to alice directly; the other room stays read
    await sendMessage(bob.socket, uniqueText("in the busy room"), { room: busy });
    await sendMessages(bob.socket, [uniqueText("psst"), uniqueText("psst again")], { to: alice.username });
    await sidebar.expectUnread(sidebar.room(busy), 1);
    await sidebar.expectUnread(sidebar.dm(bob.username), 2);

    await page.keyboard.press("Alt+Shift+ArrowDown");
    await expect(page).toHaveURL(`/r/${busy}`); // past the read room
    await sidebar.expectUnread(sidebar.room(busy), 0);
    await page.keyboard.press("Alt+Shift+ArrowDown");
    await expect(page).toHaveURL(`/dm/${bob.username}`);

    // nothing unread left: it stays; then a new message in general, and ↑ finds it (around the end)
    await page.keyboard.press("Alt+Shift+ArrowDown");
    await expect(page).toHaveURL(`/dm/${bob.username}`);
    await sendMessage(bob.socket, uniqueText("general news"));
    await sidebar.expectUnread(sidebar.room("general"), 1);
    await page.keyboard.press("Alt+Shift+ArrowUp");
    await expect(page).toHaveURL("/r/general");
  });

  test("Escape marks the room read and scrolls to the newest; while editing it only cancels the edit", async ({
    alice,
    request,
    socket,
    signIn,
  }) => {
    const [token] = await signIn(alice);
    const own = await connect(socket({ token }));
    const room = uniqueRoom("kesc");
    const bob = await writer(request, socket);
    await createRoom(own, room);
    await own.timeout(5_000).emitWithAck("room:invite", { room, username: bob.username });
    await sendMessages(
      bob.socket,
      Array.from({ length: 40 }, (_, i) => `backlog ${i}`),
      { room },
    );
    const { page, chatPage } = alice;
    await chatPage.gotoRoom(room);
    const mine = await chatPage.send(uniqueText("mine"));

    // scrolled up, a new message is not read
    await chatPage.messages.evaluate((el) => (el.scrollTop = 0));
    await expect(chatPage.jumpToLatest).toBeVisible();
    const news = uniqueText("news while scrolled up");
    await sendMessage(bob.socket, news, { room });
    await expect(chatPage.jumpToLatest).toContainText("New messages");
    await expect.poll(() => unreadOf(request, token, room)).toBe(1);

    // Escape while editing: the edit ends, the list stays where it is
    await chatPage.messageAction(mine, "Edit");
    await expect(chatPage.composerBar).toBeVisible();
    await chatPage.messages.evaluate((el) => (el.scrollTop = 0));
    await expect(chatPage.jumpToLatest).toBeVisible();
    await chatPage.composer.press("Escape");
    await expect(chatPage.composerBar).toBeHidden();
    await expect(chatPage.jumpToLatest).toBeVisible();

    // Escape: the newest message in view, the room read (on the server too)
    await page.keyboard.press("Escape");
    await expect(chatPage.jumpToLatest).toBeHidden();
    await expect(chatPage.message(news)).toBeInViewport();
    await expect.poll(() => unreadOf(request, token, room)).toBe(0);
  });

  test("? opens the shortcut sheet (not in a text field), listing every shortcut; focus comes back", async ({
    alice,
    signIn,
  }) => {
    await signIn(alice);
    const { page, chatPage } = alice;
    const sheet = page.getByRole("dialog", { name: "Keyboard shortcuts" });

    // in the composer, ? is just text
    await chatPage.composer.focus();
    await page.keyboard.press("?");
    await expect(chatPage.composer).toHaveValue("?");
    await expect(sheet).toBeHidden();
    await chatPage.composer.fill("");

    await chatPage.messages.focus();
    await page.keyboard.press("?");
    await expect(sheet).toBeVisible();
    const rows = sheet.getByRole("row");
    for (const text of [
      /Ctrl\s*\+\s*K\s*Jump to a room, direct message or person/,
      /Alt\s*\+\s*↑\s*Previous conversation/,
      /Alt\s*\+\s*↓\s*Next conversation/,
      /Alt\s*\+\s*Shift\s*\+\s*↑\s*Previous conversation with unread/,
      /Alt\s*\+\s*Shift\s*\+\s*↓\s*Next conversation with unread/,
      /Esc\s*Mark the conversation read/,
      /↑\s*Edit your last message/,
      /Esc\s*Cancel editing or replying/,
      /\?\s*This list of shortcuts/,
    ]) {
      await expect(rows.filter({ hasText: text })).toHaveCount(1);
    }
    await page.keyboard.press("Escape");
    await expect(sheet).toBeHidden();
    await expect(chatPage.messages).toBeFocused();

    // the Close button closes it too
    await page.keyboard.press("?");
    await sheet.getByRole("button", { name: "Close" }).click();
    await expect(sheet).toBeHidden();
  });
});
