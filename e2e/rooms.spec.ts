// Rooms, direct messages, presence, typing, unread counts and history paging in the browser: two (or
// three) people in separate browser contexts, each with their own socket.
import type { Page } from "@playwright/test";
import { SESSION_COOKIE } from "../lib/protocol";
import {
  apiLogin,
  apiRegister,
  connect,
  createRoom,
  expect,
  sendMessage,
  sendMessages,
  test,
  uniqueRoom,
  uniqueText,
} from "./fixtures";
import { ChatPage } from "./pages/chat-page";

/** room:read emits that mark `room` read up to `id` or later */
const readOf =
  (room: string, id: number) =>
  ({ event, payload }: { event: string; payload: unknown }): boolean => {
    const marker = payload as { room?: string; lastReadId?: number };
    return event === "room:read" && marker.room === room && (marker.lastReadId ?? 0) >= id;
  };

/** Counts the socket.io WebSockets a page opens: navigating between rooms must not open another one. */
function countSockets(page: Page): () => number {
  let opened = 0;
  page.on("websocket", (ws) => {
    if (ws.url().includes("/socket.io/")) opened++;
  });
  return () => opened;
}

test.describe("rooms", () => {
  test("create a room, a second user joins it from the directory, they chat; an outsider never sees it", async ({
    alice,
    bob,
    newUser,
    signIn,
  }) => {
    const sockets = countSockets(alice.page);
    await signIn(alice, bob);
    const room = uniqueRoom("plans");
    const { sidebar } = alice.chatPage;

    await sidebar.createRoom(room);
    await alice.chatPage.expectRoom(`# ${room}`);
    await expect(alice.chatPage.messages).toContainText("No messages yet");

    // bob finds it in the directory (general is listed as joined) and joins
    const directory = await bob.chatPage.sidebar.openDirectory();
    await expect(directory.getByRole("button", { name: `Join # ${room}` })).toBeVisible();
    await expect(directory.getByRole("button", { name: "Open # general" })).toBeVisible();
    await bob.page.keyboard.press("Escape");
    await expect(bob.chatPage.sidebar.dialog).toBeHidden();
    await bob.chatPage.sidebar.joinFromDirectory(room);
    await bob.chatPage.expectRoom(`# ${room}`);

    // they chat in it, live both ways
    const hello = uniqueText("hello from alice");
    await alice.chatPage.send(hello);
    await bob.chatPage.expectMessage(hello, { author: alice.username, own: false });
    const reply = uniqueText("bob answers");
    await bob.chatPage.send(reply);
    await alice.chatPage.expectMessage(reply, { author: bob.username, own: false });

    // the header counts both of them (bob joined after alice opened the room) and lists them
    await expect(alice.page.locator(".room-header").getByRole("button", { name: "Members (2)" })).toBeVisible();
    const members = await alice.chatPage.openMembers();
    await expect(members).toHaveCount(2);
    await expect(members.filter({ hasText: bob.username })).toHaveCount(1);
    await alice.page.keyboard.press("Escape");
    await expect(alice.page.locator(".popover")).toBeHidden();

    // general does not show the room's messages; switching rooms keeps the one socket
    await alice.chatPage.sidebar.room("general").click();
    await expect(alice.page).toHaveURL("/r/general");
    await alice.chatPage.expectRoom("# general");
    await expect(alice.chatPage.message(hello)).toHaveCount(0);
    await alice.chatPage.sidebar.room(room).click();
    await expect(alice.page).toHaveURL(`/r/${room}`);
    await alice.chatPage.expectMessage(hello, { author: alice.username, own: true });
    expect(sockets()).toBe(1);

    // carol is not a member: not in her sidebar; by URL she is asked to join, and sees nothing before
    const carol = await newUser("carol");
    await signIn(carol);
    await expect(carol.chatPage.sidebar.room("general")).toBeVisible();
    await expect(carol.chatPage.sidebar.room(room)).toHaveCount(0);
    await carol.page.goto(`/r/${room}`);
    await expect(carol.page.getByText(`You are not in # ${room} yet.`)).toBeVisible();
    await expect(carol.page.getByText(hello)).toHaveCount(0);
    await expect(carol.chatPage.composer).toHaveCount(0);

    // bob leaves it: back in general, the room gone from his sidebar
    await bob.page.locator(".room-header").getByRole("button", { name: "Leave" }).click();
    await bob.chatPage.sidebar.dialog.getByRole("button", { name: "Leave" }).click();
    await expect(bob.page).toHaveURL("/r/general");
    await expect(bob.chatPage.sidebar.room(room)).toHaveCount(0);
    // general has no Leave button
    await expect(bob.page.locator(".room-header").getByRole("button", { name: "Leave" })).toHaveCount(0);
  });

  test("a private room is invite-only: the invitee sees it appear, an outsider cannot find it", async ({
    alice,
    bob,
    newUser,
    signIn,
  }) => {
    await signIn(alice, bob);
    const carol = await newUser("carol");
    await signIn(carol);
    const room = uniqueRoom("secret");

    await alice.chatPage.sidebar.createRoom(room, { isPrivate: true });
    await expect(alice.chatPage.sidebar.room(room)).toContainText("(private)");

    // errors from the server show inline in the dialog: a taken name, an invalid one
    await alice.chatPage.sidebar.submitCreateRoom(room.toUpperCase());
    await expect(alice.chatPage.sidebar.dialog.getByRole("alert")).toContainText("already exists");
    await alice.chatPage.sidebar.dialog.getByLabel("Room name").fill("no spaces please");
    await alice.chatPage.sidebar.dialog.getByRole("button", { name: "Create" }).click();
    await expect(alice.chatPage.sidebar.dialog.getByRole("alert")).toContainText("may contain only");
    await alice.page.keyboard.press("Escape");
    await expect(alice.chatPage.sidebar.dialog).toBeHidden();

    // invite bob: the room appears in his sidebar live
    await alice.page.locator(".room-header").getByRole("button", { name: "Invite" }).click();
    const invite = alice.chatPage.sidebar.dialog;
    await invite.getByLabel("Username").fill("nobody-by-this-name");
    await invite.getByRole("button", { name: "Invite" }).click();
    await expect(invite.getByRole("alert")).toContainText("No user named");
    await invite.getByLabel("Username").fill(bob.username);
    await invite.getByRole("button", { name: "Invite" }).click();
    await expect(invite.getByRole("status")).toContainText(`${bob.username} is now in # ${room}`);
    await invite.getByRole("button", { name: "Close" }).click();
    await expect(bob.chatPage.sidebar.room(room)).toBeVisible();

    const secret = uniqueText("between us");
    await alice.chatPage.send(secret);
    await bob.chatPage.sidebar.room(room).click();
    await bob.chatPage.expectMessage(secret, { author: alice.username, own: false });

    // carol: not in the directory, and the URL says there is no such room for her
    const directory = await carol.chatPage.sidebar.openDirectory();
    await expect(directory.getByRole("button", { name: "Open # general" })).toBeVisible();
    await expect(carol.chatPage.sidebar.dialog).not.toContainText(room);
    await carol.page.keyboard.press("Escape");
    await carol.page.goto(`/r/${room}`);
    await expect(carol.page.getByText(/There is no room named/)).toBeVisible();
    await expect(carol.page.getByText(secret)).toHaveCount(0);
  });
});

test.describe("direct messages and presence", () => {
  test("DM each other from the People list; presence dots follow the peer", async ({ alice, bob, signIn }) => {
    await signIn(alice, bob);
    const person = alice.chatPage.sidebar.person(bob.username);
    await alice.chatPage.sidebar.expectPresence(person, true);

    await person.click();
    await expect(alice.page).toHaveURL(`/dm/${bob.username}`);
    await alice.chatPage.expectRoom(`@${bob.username}`);
    await expect(alice.chatPage.messages).toContainText(`start of your conversation with @${bob.username}`);

    // the first message opens the conversation: it appears in both sidebars, unread for bob
    const hi = uniqueText("psst");
    await alice.chatPage.send(hi);
    const aliceDm = alice.chatPage.sidebar.dm(bob.username);
    await expect(aliceDm).toHaveAttribute("aria-current", "page");
    const bobDm = bob.chatPage.sidebar.dm(alice.username);
    await bob.chatPage.sidebar.expectUnread(bobDm, 1);
    await bob.chatPage.sidebar.expectPresence(bobDm, true);

    await bobDm.click();
    await expect(bob.page).toHaveURL(`/dm/${alice.username}`);
    await bob.chatPage.expectMessage(hi, { author: alice.username, own: false });
    await bob.chatPage.sidebar.expectUnread(bobDm, 0);
    const back = uniqueText("what's up");
    await bob.chatPage.send(back);
    await alice.chatPage.expectMessage(back, { author: bob.username, own: false });

    // the DM stays out of general
    await alice.chatPage.sidebar.room("general").click();
    await expect(alice.chatPage.message(hi)).toHaveCount(0);

    // bob goes away: his dot turns hollow in alice's DM list and People list
    await bob.page.close();
    await alice.chatPage.sidebar.expectPresence(aliceDm, false);
    await expect(alice.chatPage.sidebar.person(bob.username)).toBeHidden(); // folded under "Offline"
  });
});

test.describe("unread counts and typing", () => {
  test("a badge counts messages in a room not on screen, clears when opened, and in every tab", async ({
    alice,
    bob,
    socket,
    signIn,
  }) => {
    const [aliceToken] = await signIn(alice, bob);
    const room = uniqueRoom("news");
    const aliceSocket = await connect(socket({ token: aliceToken }));
    await createRoom(aliceSocket, room);
    await bob.chatPage.sidebar.joinFromDirectory(room);
    await bob.chatPage.sidebar.room("general").click();
    await bob.chatPage.expectRoom("# general");

    // a second tab of bob's, also on general
    const secondTab = await bob.context.newPage();
    await secondTab.goto("/");
    const second = new ChatPage(secondTab);
    await second.expectLive();

    await sendMessages(aliceSocket, [uniqueText("one"), uniqueText("two"), uniqueText("three")], { room });
    const link = bob.chatPage.sidebar.room(room);
    await bob.chatPage.sidebar.expectUnread(link, 3);
    await second.sidebar.expectUnread(second.sidebar.room(room), 3);
    // own messages never count
    await bob.chatPage.sidebar.expectUnread(bob.chatPage.sidebar.room("general"), 0);

    // opening it in one tab reads it everywhere, and the count stays read after a reload
    await link.click();
    await bob.chatPage.expectRoom(`# ${room}`);
    await bob.chatPage.sidebar.expectUnread(link, 0);
    await second.sidebar.expectUnread(second.sidebar.room(room), 0);
    await secondTab.reload();
    await second.expectLive();
    await expect(second.sidebar.room(room)).toBeVisible();
    await second.sidebar.expectUnread(second.sidebar.room(room), 0);

    // while bob looks at the room, new messages there are not unread
    const live = uniqueText("while you watch");
    await sendMessage(aliceSocket, live, { room });
    await bob.chatPage.expectMessage(live, { author: alice.username, own: false });
    await second.sidebar.expectUnread(second.sidebar.room(room), 0);
  });

  test("what arrives while the reader is scrolled up stays unread until they come back to the bottom", async ({
    alice,
    bob,
    request,
    serverURL,
    socket,
    signIn,
  }) => {
    // every socket.io event bob's page emits, in order (registered before its socket opens)
    const bobEmits: { event: string; payload: unknown }[] = [];
    bob.page.on("websocket", (ws) =>
      ws.on("framesent", ({ payload }) => {
        const frame = /^42\d*(\[.*)$/s.exec(String(payload));
        if (frame) {
          const [event, data] = JSON.parse(frame[1]!) as [string, unknown];
          bobEmits.push({ event, payload: data });
        }
      }),
    );
    const [aliceToken, bobToken] = await signIn(alice, bob);
    const room = uniqueRoom("scrolled");
    const aliceSocket = await connect(socket({ token: aliceToken }));
    await createRoom(aliceSocket, room);
    await sendMessages(
      aliceSocket,
      Array.from({ length: 60 }, (_, i) => `backlog ${i + 1}`),
      { room },
    );
    await bob.chatPage.sidebar.joinFromDirectory(room);
    await bob.chatPage.expectRoom(`# ${room}`);
    const unreadOfBob = async () => {
      const res = await request.get(`${serverURL}/api/rooms`, { headers: { authorization: `Bearer ${bobToken}` } });
      const { rooms } = (await res.json()) as { rooms: { name: string; unread: number }[] };
      return rooms.find((r) => r.name === room)?.unread;
    };
    await expect.poll(unreadOfBob).toBe(0);

    // bob scrolls up to read the backlog; alice writes meanwhile
    await bob.chatPage.messages.evaluate((list) => (list.scrollTop = 0));
    await expect(bob.chatPage.jumpToLatest).toBeVisible();
    const fresh = uniqueText("while you were reading");
    const freshId = (await sendMessage(aliceSocket, fresh, { room })).id;
    await expect(bob.chatPage.jumpToLatest).toHaveText(/New messages/);
    // The barrier: a read marker the page decided on goes out at once or on a timer of at most READ_EVERY_MS
    // (1 s); a longer timer set now fires after it, and bob's next emit (typing) follows it on the socket.
    await bob.page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 1200)));
    const typedAt = bobEmits.length;
    await bob.chatPage.composer.pressSequentially("x");
    await expect.poll(() => bobEmits.slice(typedAt).some((e) => e.event === "typing")).toBe(true);
    await bob.chatPage.composer.clear();
    expect(bobEmits.filter(readOf(room, freshId))).toEqual([]);
    expect(await unreadOfBob()).toBe(1);

    // back at the bottom, it is read
    await bob.chatPage.jumpToLatest.click();
    await expect(bob.chatPage.message(fresh)).toBeInViewport();
    await expect.poll(unreadOfBob).toBe(0);
    // the frames above are really watched: this marker is among them
    expect(bobEmits.filter(readOf(room, freshId))).not.toEqual([]);

    // scrolled up again, another message, then off to general without scrolling down: this tab counts it too
    await bob.chatPage.messages.evaluate((list) => (list.scrollTop = 0));
    await expect(bob.chatPage.jumpToLatest).toBeVisible();
    await sendMessage(aliceSocket, uniqueText("and another"), { room });
    await expect(bob.chatPage.jumpToLatest).toHaveText(/New messages/);
    await bob.chatPage.sidebar.room("general").click();
    await bob.chatPage.expectRoom("# general");
    await bob.chatPage.sidebar.expectUnread(bob.chatPage.sidebar.room(room), 1);
  });

  test("typing shows '<user> is typing…' to the others in the room and expires by itself", async ({
    alice,
    bob,
    signIn,
  }) => {
    await signIn(alice, bob);
    const room = uniqueRoom("typing");
    await alice.chatPage.sidebar.createRoom(room);
    await bob.chatPage.sidebar.joinFromDirectory(room);

    await alice.chatPage.composer.pressSequentially("I am writing some", { delay: 30 });
    await expect(bob.chatPage.typing).toHaveText(`${alice.username} is typing…`);
    await expect(alice.chatPage.typing).toHaveText(""); // never about oneself
    // nobody types any more: gone after a few seconds without another event
    await expect(bob.chatPage.typing).toHaveText("", { timeout: 6_000 });

    // sending ends it at once
    await alice.chatPage.composer.pressSequentially(" more", { delay: 30 });
    await expect(bob.chatPage.typing).toHaveText(`${alice.username} is typing…`);
    await alice.chatPage.composer.press("Enter");
    await expect(bob.chatPage.typing).toHaveText("", { timeout: 1_500 });
  });
});

test.describe("history", () => {
  test("scrolling back through 200 messages loads older pages without moving the view", async ({
    alice,
    socket,
    signIn,
  }) => {
    const [token] = await signIn(alice);
    const room = uniqueRoom("history");
    const seeder = await connect(socket({ token }));
    await createRoom(seeder, room);
    const contents = Array.from({ length: 200 }, (_, i) => `history line ${i + 1}`);
    await sendMessages(seeder, contents, { room });

    // while the socket is up, older pages come over it (messages:page), not over REST
    const restPages: string[] = [];
    alice.page.on("request", (r) => {
      if (r.url().includes("/api/messages") && r.url().includes("before=")) restPages.push(r.url());
    });
    await alice.chatPage.gotoRoom(room);
    const { messages } = alice.chatPage;
    const items = messages.getByTestId("message");
    await expect(items).toHaveCount(50);
    await expect(items.last()).toContainText("history line 200");
    await expect(alice.chatPage.jumpToLatest).toBeHidden();

    for (let shown = 50; shown < 200; shown += 50) {
      // scroll to the top and note where the first message is, before the older page can arrive
      const before = await messages.evaluate((list) => {
        list.scrollTop = 0;
        const first = list.querySelector<HTMLElement>('[data-testid="message"]');
        return { id: first?.dataset.id ?? "", top: first?.getBoundingClientRect().top ?? Number.NaN };
      });
      await expect(items).toHaveCount(shown + 50);
      const after = await messages.locator(`[data-id="${before.id}"]`).evaluate((el) => el.getBoundingClientRect().top);
      expect(Math.abs(after - before.top), `message ${before.id} moved`).toBeLessThanOrEqual(2);
      await expect(alice.chatPage.jumpToLatest).toBeVisible();
    }
    await messages.evaluate((list) => (list.scrollTop = 0));
    await expect(alice.chatPage.historyEdge).toHaveText(`This is the beginning of # ${room}.`);
    await expect(items.first()).toContainText("history line 1");
    await expect(items).toHaveCount(200);
    expect(restPages).toEqual([]);

    // a new message while scrolled up does not move the view; the jump button says so
    await sendMessage(seeder, "a new one at the bottom", { room });
    await expect(alice.chatPage.jumpToLatest).toHaveText(/New messages/);
    await alice.chatPage.jumpToLatest.click();
    await expect(alice.chatPage.jumpToLatest).toBeHidden();
    await expect(alice.chatPage.message("a new one at the bottom")).toBeInViewport();
  });

  test("history still loads, older pages too, while the socket cannot connect (over REST)", async ({
    alice,
    socket,
    signIn,
  }) => {
    const [token] = await signIn(alice);
    const room = uniqueRoom("restpages");
    const seeder = await connect(socket({ token }));
    await createRoom(seeder, room);
    await sendMessages(
      seeder,
      Array.from({ length: 80 }, (_, i) => `rest line ${i + 1}`),
      { room },
    );
    await alice.page.route("**/socket.io/**", (route) => route.abort());
    await alice.page.goto(`/r/${room}`);
    await alice.chatPage.expectRoom(`# ${room}`);
    const items = alice.chatPage.messages.getByTestId("message");
    await expect(items).toHaveCount(50);
    await expect(items.last()).toContainText("rest line 80");
    await alice.chatPage.messages.evaluate((list) => (list.scrollTop = 0));
    await expect(items).toHaveCount(80);
    await expect(items.first()).toContainText("rest line 1");
  });
});

test.describe("drafts", () => {
  test("unsent text stays with its conversation across room switches and a reload, and goes once sent", async ({
    alice,
    socket,
    signIn,
  }) => {
    const [token] = await signIn(alice);
    const room = uniqueRoom("drafts");
    await createRoom(await connect(socket({ token })), room);
    const chat = alice.chatPage;
    await chat.goto();
    await chat.composer.fill("half a thought for general");
    await chat.sidebar.room(room).click();
    await chat.expectRoom(`# ${room}`);
    await expect(chat.composer).toHaveValue("");
    await chat.composer.fill(`something for ${room}`);
    await chat.sidebar.room("general").click();
    await chat.expectRoom("# general");
    await expect(chat.composer).toHaveValue("half a thought for general");

    await alice.page.reload();
    await chat.expectLive();
    await expect(chat.composer).toHaveValue("half a thought for general");
    await chat.composer.press("Enter");
    await expect(chat.message("half a thought for general")).toBeVisible();
    await expect(chat.composer).toHaveValue("");

    await chat.sidebar.room(room).click();
    await expect(chat.composer).toHaveValue(`something for ${room}`);
    await chat.sidebar.room("general").click();
    await expect(chat.composer).toHaveValue("");
  });
});

test.describe("phone width", () => {
  test("the sidebar hides behind the menu button and the chat stays usable", async ({
    newUser,
    request,
    serverURL,
  }) => {
    const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
    const user = await newUser("phone", phone);
    const username = user.username;
    await apiRegister(request, username);
    const token = await apiLogin(request, username);
    await user.context.addCookies([{ name: SESSION_COOKIE, value: token, url: serverURL, httpOnly: true }]);
    await user.chatPage.goto();
    const { sidebar } = user.chatPage;

    await expect(sidebar.root).toBeHidden();
    await expect(user.chatPage.composer).toBeVisible();
    await sidebar.menuButton.click();
    await expect(sidebar.root).toBeVisible();
    await expect(sidebar.menuButton).toHaveAttribute("aria-expanded", "true");
    await user.page.keyboard.press("Escape");
    await expect(sidebar.root).toBeHidden();

    const room = uniqueRoom("mobile");
    await sidebar.menuButton.click();
    await sidebar.submitCreateRoom(room);
    await expect(user.page).toHaveURL(`/r/${room}`);
    // navigating closed the drawer
    await expect(sidebar.root).toBeHidden();
    await user.chatPage.expectRoom(`# ${room}`);
    const text = uniqueText("from my phone");
    await user.chatPage.send(text);
    await expect(user.chatPage.message(text)).toBeInViewport();
    // nothing sticks out sideways
    const overflow = await user.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
