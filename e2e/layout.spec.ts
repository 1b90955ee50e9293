// The chat's layout: the document never scrolls (only the message list and the sidebar do), messages are
// grouped under one header per run of an author with day separators and a "New messages" line, at least 20
// single-line messages fit on a 1440×900 screen, and the compact density is remembered.
import path from "node:path";
import Database from "better-sqlite3";
import type { Ack, RoomsResponse } from "../lib/protocol";
import {
  bearer,
  connect,
  createRoom,
  expect,
  joinRoom,
  sendMessages,
  signInViaApi,
  test,
  uniqueText,
  type ChatClient,
  type ChatUser,
} from "./fixtures";
import { documentScroll, fullyVisibleRows, scrollTopOf, wheelListAndSettle, wheelOver } from "./pages/layout";

const DESKTOP = { viewport: { width: 1440, height: 900 } };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

const roomName = (label: string) => `${label}-${Math.random().toString(36).slice(2, 8)}`;

/** A room of `user`'s with `count` single-line messages, sent in runs of `run` lines per author. */
async function busyRoom(user: ChatUser & { socket: ChatClient }, other: ChatClient, count: number, run = 3) {
  const room = roomName("busy");
  await createRoom(user.socket, room);
  await joinRoom(other, room);
  for (let i = 0; i < count; i += run) {
    const from = (i / run) % 2 === 0 ? user.socket : other;
    const lines = Array.from({ length: Math.min(run, count - i) }, (_, k) => `line ${i + k + 1} of the day`);
    await sendMessages(from, lines, { room });
  }
  return room;
}

async function signedIn(
  newUser: (p: string, o?: object) => Promise<ChatUser>,
  request: Parameters<typeof signInViaApi>[0],
  serverURL: string,
  socket: (auth: { token: string }) => ChatClient,
  prefix: string,
  options: object,
) {
  const user = await newUser(prefix, options);
  const token = await signInViaApi(request, user, serverURL);
  return { ...user, token, socket: await connect(socket({ token })) };
}

for (const [size, options] of [
  ["1440×900", DESKTOP],
  ["390×844", PHONE],
] as const) {
  test(`the document never scrolls at ${size}: only the message list and the sidebar do`, async ({
    newUser,
    request,
    serverURL,
    socket,
  }) => {
    test.setTimeout(90_000); // 60 messages and 24 rooms to set up
    const ada = await signedIn(newUser, request, serverURL, socket, "ada", options);
    const bob = await signedIn(newUser, request, serverURL, socket, "bob", {});
    const room = await busyRoom(ada, bob.socket, 60);
    // enough rooms for the sidebar to scroll too
    for (let i = 0; i < 24; i++) await createRoom(ada.socket, roomName(`side${i}`));

    const { page, chatPage } = ada;
    await chatPage.gotoRoom(room);
    await expect(chatPage.messages.getByTestId("message").last()).toContainText("line 60 of the day");
    const list = chatPage.messages;
    const expectStill = async () => {
      expect(await documentScroll(page)).toEqual({ scrollY: 0, scrollTop: 0, overflow: 0 });
    };
    await expectStill();

    // the list scrolls (up from the bottom), and nothing else moves
    await wheelListAndSettle(page, list, 1500);
    await expectStill();
    const regions = [
      page.locator(".topbar"),
      page.locator(".room-header"),
      page.locator(".composer"),
      ...(size === "1440×900" ? [chatPage.sidebar.root] : []),
    ];
    for (const region of regions) {
      await wheelOver(page, region, 4000);
      await wheelListAndSettle(page, list);
      await expectStill();
    }

    // the sidebar scrolls in its own box: on a phone, inside the drawer
    if (size === "390×844") {
      await chatPage.sidebar.menuButton.click();
      await page.waitForFunction(() => document.getElementById("sidebar")?.getBoundingClientRect().x === 0);
    }
    await wheelOver(page, chatPage.sidebar.root, 3000);
    await expect.poll(() => scrollTopOf(chatPage.sidebar.root)).toBeGreaterThan(0);
    await expectStill();
  });
}

test("on a phone every button of the top bar and of a private room's header is on screen, and the room's name too", async ({
  newUser,
  request,
  serverURL,
  socket,
}) => {
  const ada = await signedIn(newUser, request, serverURL, socket, "ada", PHONE);
  const room = roomName("secret-plans");
  await createRoom(ada.socket, room, true);
  await ada.page.goto(`/r/${room}`);
  await ada.chatPage.expectLive();
  const header = ada.page.locator(".room-header");
  await expect(header.locator(".room")).toHaveText(`# ${room}`);
  for (const name of ["Members (1)", "Invite", "Webhooks", "Leave"])
    await expect(header.getByRole("button", { name })).toBeInViewport({ ratio: 1 });
  await expect(ada.chatPage.logoutButton).toBeInViewport({ ratio: 1 });
  await expect(ada.chatPage.connectionState).toHaveText("Live"); // shown as its dot, still read out
  // the name keeps room beside the buttons: at least its first characters, not an empty box
  const title = await header.locator(".room-title").boundingBox();
  expect(title!.width).toBeGreaterThanOrEqual(90);
  for (const bar of [header, ada.page.locator(".topbar")])
    expect(await bar.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
  await ada.page.screenshot({ path: path.join("test-results", "screenshots", "screenshot-phone-room-header.png") });
});

test("at 1440×900 at least 20 single-line messages are on screen in the default density", async ({
  newUser,
  request,
  serverURL,
  socket,
}) => {
  test.setTimeout(60_000);
  const ada = await signedIn(newUser, request, serverURL, socket, "ada", DESKTOP);
  const bob = await signedIn(newUser, request, serverURL, socket, "bob", {});
  const room = await busyRoom(ada, bob.socket, 40);
  await ada.chatPage.gotoRoom(room);
  await expect(ada.chatPage.messages.getByTestId("message").last()).toContainText("line 40 of the day");
  expect(await fullyVisibleRows(ada.chatPage.messages)).toBeGreaterThanOrEqual(20);

  // compact fits more, and is remembered across a reload
  const toggle = ada.page.getByRole("button", { name: "Compact message list" });
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await expect(ada.page.locator(".app")).toHaveAttribute("data-density", "compact");
  await expect.poll(() => fullyVisibleRows(ada.chatPage.messages)).toBeGreaterThanOrEqual(30);
  await ada.page.reload();
  await ada.chatPage.expectLive();
  await expect(ada.page.locator(".app")).toHaveAttribute("data-density", "compact");
  await ada.page.getByRole("button", { name: "Compact message list" }).click();
  await expect(ada.page.locator(".app")).toHaveAttribute("data-density", "comfortable");
});

test("compact density keeps a message's lists, code, wrapped lines and reactions in its text's column", async ({
  newUser,
  request,
  serverURL,
  socket,
}) => {
  const ada = await signedIn(newUser, request, serverURL, socket, "ada", DESKTOP);
  const bob = await signedIn(newUser, request, serverURL, socket, "bob", {});
  const room = roomName("compact");
  await createRoom(ada.socket, room);
  await joinRoom(bob.socket, room);
  const long = `${uniqueText("wrapped")} ${"a long line that wraps onto the next row ".repeat(8)}`;
  const checklist = `${uniqueText("checklist")}:\n1. drain the nodes\n2. upgrade\n\n\`\`\`\nkubectl get pods\n\`\`\`\n> a quote`;
  const [first] = await sendMessages(bob.socket, [long, checklist], { room });
  await bob.socket.timeout(5_000).emitWithAck("reaction:add", { id: first!.id, emoji: "👍" });
  const reply = uniqueText("the answer");
  await bob.socket.timeout(5_000).emitWithAck("message:send", { content: reply, room, replyTo: first!.id });
  await ada.chatPage.gotoRoom(room);
  await expect(ada.chatPage.message(reply)).toBeVisible();
  await ada.page.getByRole("button", { name: "Compact message list" }).click();
  await expect(ada.page.locator(".app")).toHaveAttribute("data-density", "compact");

  // nothing of a message falls back under its time and name: every line and block starts right of them
  for (const text of [long, "drain the nodes", reply]) {
    const message = ada.chatPage.messages.getByTestId("message").filter({ hasText: text });
    const layout = await message.evaluate((m) => {
      const meta = m.querySelector(".meta")!.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(m.querySelector(".body")!);
      const parts = [
        ...range.getClientRects(),
        ...[...m.querySelectorAll(".body > *, .reactions")].map((e) => e.getBoundingClientRect()),
      ];
      const quote = m.querySelector(".reply-quote")?.getBoundingClientRect();
      return {
        metaRight: meta.right,
        metaTop: meta.top,
        left: Math.min(...parts.map((r) => r.left)),
        top: Math.min(...parts.map((r) => r.top)),
        quoteBottom: quote?.bottom,
      };
    });
    expect(layout.left).toBeGreaterThanOrEqual(layout.metaRight);
    // the time and name on the text's first line, not halfway down a tall message
    expect(Math.abs(layout.metaTop - layout.top)).toBeLessThan(4);
    // a reply's quote is a row of its own above the time and name
    if (layout.quoteBottom !== undefined) expect(layout.quoteBottom).toBeLessThanOrEqual(layout.metaTop + 0.5);
  }
  await ada.page.screenshot({ path: path.join("test-results", "screenshots", "screenshot-compact.png") });

  // the longest display name gives way with an ellipsis: the text keeps most of the row
  const named = await request.patch("/api/me", { headers: bearer(bob.token), data: { displayName: "B".repeat(64) } });
  expect(named.status()).toBe(200);
  const said = uniqueText("after the rename");
  await sendMessages(ada.socket, ["an interlude, so that bob's next line heads a run"], { room });
  await sendMessages(bob.socket, [`${said} ${"and the text still reads in long lines ".repeat(4)}`], { room });
  const renamed = ada.chatPage.messageStartingWith(said);
  await expect(renamed).toHaveAttribute("data-head", "true");
  await expect(renamed.locator(".author")).toContainText("BBBB");
  const widths = await renamed.evaluate((m) => ({
    row: m.getBoundingClientRect().width,
    text: m.querySelector(".body")!.getBoundingClientRect().width,
  }));
  expect(widths.text).toBeGreaterThan(widths.row * 0.5);
});

test("runs of one author share a header; replies and deletions break them; times show on hover", async ({
  newUser,
  request,
  serverURL,
  socket,
}) => {
  const ada = await signedIn(newUser, request, serverURL, socket, "ada", DESKTOP);
  const bob = await signedIn(newUser, request, serverURL, socket, "bob", {});
  const room = roomName("groups");
  await createRoom(ada.socket, room);
  await joinRoom(bob.socket, room);
  const [first, second] = await sendMessages(bob.socket, ["one", "two", "three"], { room });
  await sendMessages(ada.socket, ["four"], { room });
  await ada.chatPage.gotoRoom(room);
  const rows = ada.chatPage.messages.getByTestId("message");
  await expect(rows).toHaveCount(4);
  await expect(rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-head")))).resolves.toEqual([
    "true",
    "false",
    "false",
    "true",
  ]);
  // the head has the avatar and the name; a later line has the name for screen readers only
  await expect(rows.nth(0).locator(".avatar")).toBeVisible();
  await expect(rows.nth(1).locator(".avatar")).toHaveCount(0);
  await expect(rows.nth(1).locator(".author")).toHaveText(bob.username);
  await expect(rows.nth(1).locator(".author")).toHaveClass(/sr-only/);
  const time = rows.nth(1).locator("time");
  await expect(time).toBeHidden();
  await rows.nth(1).hover();
  await expect(time).toBeVisible();
  // in the gutter, left of the text, at a desktop's width and a phone's
  for (const size of [DESKTOP.viewport, { width: 390, height: 844 }]) {
    await ada.page.setViewportSize(size);
    await rows.nth(1).hover();
    const [timeBox, bodyBox] = [await time.boundingBox(), await rows.nth(1).locator(".body").boundingBox()];
    const rowBox = await rows.nth(1).boundingBox();
    expect(timeBox, `the time's box at ${size.width}px`).not.toBeNull();
    expect(timeBox!.x + timeBox!.width, `the time ends before the text at ${size.width}px`).toBeLessThanOrEqual(
      bodyBox!.x,
    );
    // and all of it inside the row: no AM/PM pushing it past the row's left edge
    const textLeft = await time.evaluate((e) => {
      const r = document.createRange();
      r.selectNodeContents(e);
      return r.getBoundingClientRect().left;
    });
    expect(textLeft, `the time's text starts inside the row at ${size.width}px`).toBeGreaterThan(rowBox!.x + 2);
  }
  await ada.page.setViewportSize(DESKTOP.viewport);

  // a reply heads its own group (here right after the author's own message); after a deleted message the
  // next one has a header again
  await ada.chatPage.messageAction(ada.chatPage.message("four"), "Reply");
  await ada.chatPage.send("six, a reply");
  await expect(ada.chatPage.message("six, a reply")).toHaveAttribute("data-head", "true");
  const del = (await bob.socket.timeout(5000).emitWithAck("message:delete", { id: second!.id })) as Ack<object>;
  expect(del.ok).toBe(true);
  await expect(ada.chatPage.messageById(second!.id)).toHaveAttribute("data-deleted", "true");
  await expect(ada.chatPage.messageById(second!.id)).toHaveAttribute("data-head", "false");
  await expect(ada.chatPage.message("three")).toHaveAttribute("data-head", "true");
  await expect(ada.chatPage.messageById(first!.id)).toHaveAttribute("data-head", "true");
  // one separator for today's messages
  await expect(ada.chatPage.messages.getByTestId("day-separator")).toHaveText(["Today"]);
});

test("day separators: Today, Yesterday, the weekday within a week, the full date beyond", async ({
  newUser,
  request,
  serverURL,
  socket,
}) => {
  const ada = await signedIn(newUser, request, serverURL, socket, "ada", {
    ...DESKTOP,
    locale: "en-GB",
    timezoneId: "UTC",
  });
  const room = roomName("days");
  await createRoom(ada.socket, room);
  // older messages written straight into the database: the server stamps new ones with the time of now
  const day = 86_400_000;
  const now = Date.now();
  const db = new Database(path.join(process.env.E2E_DATA_DIR ?? "", "e2e.db"));
  try {
    const { id } = db.prepare(`SELECT "id" FROM "User" WHERE "username" = ?`).get(ada.username) as { id: number };
    const insert = db.prepare(
      `INSERT INTO "Message" ("room", "userId", "username", "content", "createdAt", "seq")
       VALUES (?, ?, ?, ?, ?, (SELECT COALESCE(MAX("seq"), 0) + 1 FROM "Message"))`,
    );
    for (const [ago, text] of [
      [20, "three weeks ago"],
      [3, "three days ago"],
      [1, "yesterday"],
    ] as const) {
      insert.run(room, id, ada.username, text, new Date(now - ago * day).toISOString().replace("Z", "+00:00"));
    }
  } finally {
    db.close();
  }
  await sendMessages(ada.socket, ["today"], { room });
  await ada.chatPage.gotoRoom(room);
  await expect(ada.chatPage.messages.getByTestId("message")).toHaveCount(4);
  const label = (ago: number, options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "UTC",
      weekday: "long",
      day: "numeric",
      month: "long",
      ...options,
    }).format(new Date(now - ago * day));
  await expect(ada.chatPage.messages.getByTestId("day-separator")).toHaveText([
    label(20, { year: "numeric" }),
    label(3, {}),
    "Yesterday",
    "Today",
  ]);
  // each day's first message has a header, even from the same author
  await expect(ada.chatPage.message("today")).toHaveAttribute("data-head", "true");
});

test("a New messages line marks where the unread messages begin, across two users", async ({
  newUser,
  request,
  serverURL,
  socket,
}) => {
  const ada = await signedIn(newUser, request, serverURL, socket, "ada", DESKTOP);
  const bob = await signedIn(newUser, request, serverURL, socket, "bob", {});
  const room = roomName("news");
  await createRoom(ada.socket, room);
  await joinRoom(bob.socket, room);
  const read = uniqueText("already read");
  await sendMessages(bob.socket, [read], { room });
  await ada.chatPage.gotoRoom(room);
  // bob's first message came after ada made the room: it was unread
  const line = ada.chatPage.messages.getByTestId("new-messages");
  const next = line.locator("xpath=following-sibling::li[1]");
  await expect(ada.chatPage.message(read)).toBeVisible();
  await expect(next).toContainText(read);
  // ada's read marker is stored before she leaves
  const marker = async () => {
    const res = await request.get("/api/rooms", { headers: bearer(ada.token) });
    const rooms = (await res.json()) as RoomsResponse;
    const r = rooms.rooms.find((x) => x.name === room);
    return r ? r.lastMessageId - r.lastReadId : -1;
  };
  await expect.poll(marker).toBe(0);

  await ada.chatPage.sidebar.room("general").click();
  await ada.chatPage.expectRoom("# general");
  const [firstNew] = await sendMessages(bob.socket, ["new one", "new two"], { room });
  await ada.chatPage.sidebar.expectUnread(ada.chatPage.sidebar.room(room), 2);

  await ada.chatPage.sidebar.room(room).click();
  await expect(line).toHaveCount(1);
  await expect(line).toHaveText("New messages");
  // right above the first unread message
  await expect(next).toHaveAttribute("data-id", String(firstNew!.id));
  await expect(ada.chatPage.messageById(firstNew!.id)).toHaveAttribute("data-head", "true");
  // hovering that message, its action bar leaves the line's label readable (it covered it)
  await ada.chatPage.messageById(firstNew!.id).hover();
  const bar = ada.chatPage.messageById(firstNew!.id).locator(".msg-actions");
  await expect(bar).toHaveCSS("opacity", "1");
  const [label, barBox] = await Promise.all([line.locator("span").boundingBox(), bar.boundingBox()]);
  expect(barBox!.y).toBeGreaterThanOrEqual(label!.y + label!.height);

  // it stays put while ada reads on; what arrives now is not "new" again
  await sendMessages(bob.socket, ["while she is here"], { room });
  await expect(ada.chatPage.message("while she is here")).toBeVisible();
  await expect(line).toHaveCount(1);
  await expect(next).toHaveAttribute("data-id", String(firstNew!.id));

  // coming back with everything read: no line
  await expect.poll(marker).toBe(0);
  await ada.chatPage.sidebar.room("general").click();
  await ada.chatPage.expectRoom("# general");
  await ada.chatPage.sidebar.room(room).click();
  await expect(ada.chatPage.message("while she is here")).toBeVisible();
  await expect(line).toHaveCount(0);
});
