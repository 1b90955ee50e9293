// Screenshots for the docs (docs/*.png): the login page, a conversation between two people on a desktop
// and on a phone-sized viewport, and a small team's rooms: the sidebar, a room and a DM. The assertions make
// sure the pictures show a settled UI.
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { dmRoomName, SESSION_COOKIE } from "../lib/protocol";
import {
  apiLogin,
  apiRegister,
  connect,
  createRoom,
  expect,
  inviteToRoom,
  joinRoom,
  sendMessage,
  signInViaApi,
  test,
  uniqueUsername,
  type Address,
  type ChatClient,
  type ChatUser,
} from "./fixtures";
import { SettingsPage } from "./pages/settings-page";

// docs/ is rewritten only on request (UPDATE_SCREENSHOTS=1), so a test run leaves the work tree clean
const docs = (name: string) =>
  fileURLToPath(
    new URL(`../${process.env.UPDATE_SCREENSHOTS ? "docs" : "test-results/screenshots"}/${name}`, import.meta.url),
  );
const DESKTOP = { viewport: { width: 1440, height: 900 } };
const MOBILE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

test("docs screenshots: login, chat on desktop and on mobile", async ({ newUser, request, serverURL }) => {
  test.setTimeout(90_000);
  // short suffixes keep the names readable in the pictures
  const ada = await newUser("ada", DESKTOP, uniqueUsername("ada", 2));
  await ada.loginPage.goto();
  await ada.page.screenshot({ path: docs("screenshot-login.png") });

  const grace = await newUser("grace", DESKTOP, uniqueUsername("grace", 2));
  // signed in over the API: the login form has its own tests, these pictures are about the chat
  await signInViaApi(request, ada, serverURL);
  await signInViaApi(request, grace, serverURL);

  // enough lines to fill the viewport, so messages of other tests stay scrolled out of sight
  const lines: [ChatUser, string][] = [
    [grace, "Hi Ada 👋"],
    [ada, "Hey Grace! How was the conference?"],
    [grace, "Great talks on compilers. I'll share my notes later."],
    [ada, "Lovely. Is the deploy still on for today?"],
    [grace, "Yes, after lunch. I'm finishing the migration notes."],
    [ada, "Great. I'll watch the error rates once it's out."],
    [grace, "Do you remember whether the new index is in this release?"],
    [ada, "It is, migration 0007. It takes a few seconds on the big tables."],
    [grace, "Perfect. Quick checklist:\n1. freeze merges\n2. run the migration\n3. smoke-test the login"],
    [ada, "👍 sounds good"],
    [grace, "I'll ping here when it's live."],
    [ada, "Thanks!"],
  ];
  for (const [user, text] of lines) {
    await user.chatPage.composer.fill(text);
    await user.chatPage.composer.press("Enter");
    await expect(user.chatPage.composer).toHaveValue("");
    await expect(user.chatPage.outgoing).toHaveCount(0);
  }
  const last = lines.at(-1)?.[1] ?? "";
  for (const user of [ada, grace]) {
    await expect(user.chatPage.messages.getByTestId("message").last()).toContainText(last);
  }
  await ada.page.screenshot({ path: docs("screenshot-chat.png") });
  await ada.page.emulateMedia({ colorScheme: "dark" });
  await ada.page.screenshot({ path: docs("screenshot-chat-dark.png") });

  // the same account on a phone: history from the server, own messages on the right
  const mobile = await newUser("ada", MOBILE, ada.username);
  const token = await apiLogin(request, ada.username);
  await mobile.context.addCookies([{ name: SESSION_COOKIE, value: token, url: serverURL, httpOnly: true }]);
  await mobile.chatPage.goto();
  await expect(mobile.chatPage.messages.getByTestId("message").last()).toContainText(last);
  await mobile.page.screenshot({ path: docs("screenshot-chat-mobile.png") });
  await mobile.page.emulateMedia({ colorScheme: "dark" });
  await mobile.page.screenshot({ path: docs("screenshot-chat-mobile-dark.png") });
});

test("docs screenshots: the sidebar, a room and a direct conversation", async ({
  newUser,
  request,
  serverURL,
  socket,
}, testInfo) => {
  // ada uses the browser; grace and linus are online through their own sockets
  const ada = await newUser("ada", DESKTOP, uniqueUsername("ada", 2));
  const adaToken = await signInViaApi(request, ada, serverURL);
  const online = async (prefix: string) => {
    const username = uniqueUsername(prefix, 2);
    await apiRegister(request, username);
    return { username, socket: await connect(socket({ token: await apiLogin(request, username) })) };
  };
  const grace = await online("grace");
  const linus = await online("linus");
  const adaSocket = await connect(socket({ token: adaToken }));

  // fixed names read well in the pictures; a retry (same database) needs new ones
  const named = (base: string) => (testInfo.retry ? `${base}-${testInfo.retry}` : base);
  const deploys = named("deploys");
  const design = named("design");
  const random = named("random");
  await createRoom(adaSocket, deploys);
  await joinRoom(grace.socket, deploys);
  await joinRoom(linus.socket, deploys);
  await createRoom(adaSocket, design, true);
  await inviteToRoom(adaSocket, design, grace.username);
  await createRoom(grace.socket, random);
  await joinRoom(adaSocket, random);

  const say = (from: ChatClient, address: Address, lines: string[]) =>
    lines.reduce<Promise<unknown>>(
      (done, line) => done.then(() => sendMessage(from, line, address)),
      Promise.resolve(),
    );
  const inDeploys = { room: deploys };
  await say(grace.socket, inDeploys, ["Release 2.4 is tagged. Deploying to staging now."]);
  await say(linus.socket, inDeploys, ["Migrations look fine on the staging copy."]);
  await say(adaSocket, inDeploys, ["Great, I'm watching the error rates.", "Login and search are smoke-tested ✅"]);
  await say(grace.socket, inDeploys, ["Rolling out to production in 5 minutes."]);
  await say(linus.socket, inDeploys, ["👍 I'll keep an eye on the queue depth."]);
  await say(adaSocket, inDeploys, ["Production is live. Thanks, both!"]);

  await say(grace.socket, { to: ada.username }, [
    "Got a minute after the deploy?",
    "I'd like your eyes on the new onboarding copy.",
  ]);
  await say(adaSocket, { to: grace.username }, ["Sure! Send it over."]);
  await say(grace.socket, { to: ada.username }, ["It's in the design room. The second screen is the tricky one."]);

  // things ada has not read yet
  await say(grace.socket, { room: design }, ["New mockups for onboarding are up 🎨"]);
  await say(grace.socket, { room: random }, ["Who's up for lunch?", "The new ramen place opened."]);
  await say(linus.socket, { to: ada.username }, ["Can you review my PR when you have a moment?"]);

  // a room: the conversation, members in the header, someone typing, unread badges in the sidebar
  await ada.page.goto(`/r/${deploys}`);
  await ada.chatPage.expectLive();
  await ada.chatPage.expectRoom(`# ${deploys}`);
  await expect(ada.chatPage.messages.getByTestId("message").last()).toContainText("Production is live");
  const { sidebar } = ada.chatPage;
  await sidebar.expectUnread(sidebar.room(random), 2);
  await sidebar.expectUnread(sidebar.dm(linus.username), 1);
  await sidebar.expectPresence(sidebar.dm(grace.username), true);
  grace.socket.emit("typing", { room: deploys });
  await expect(ada.chatPage.typing).toHaveText(`${grace.username} is typing…`);
  await ada.page.screenshot({ path: docs("screenshot-room.png") });

  // a direct conversation
  await sidebar.dm(grace.username).click();
  await expect(ada.page).toHaveURL(`/dm/${grace.username}`);
  await expect(ada.chatPage.messages.getByTestId("message").last()).toContainText("The second screen");
  await sidebar.expectUnread(sidebar.dm(grace.username), 0);
  grace.socket.emit("typing", { room: dmRoomName(ada.username, grace.username) });
  await expect(ada.chatPage.typing).toHaveText(`${grace.username} is typing…`);
  await ada.page.screenshot({ path: docs("screenshot-dm.png") });
  await ada.page.emulateMedia({ colorScheme: "dark" });
  await ada.page.screenshot({ path: docs("screenshot-dm-dark.png") });

  // the sidebar, as a drawer on a phone
  const mobile = await newUser("ada", MOBILE, ada.username);
  await mobile.context.addCookies([
    { name: SESSION_COOKIE, value: await apiLogin(request, ada.username), url: serverURL, httpOnly: true },
  ]);
  await mobile.page.goto(`/r/${deploys}`);
  await mobile.chatPage.expectLive();
  await mobile.chatPage.sidebar.menuButton.click();
  await expect(mobile.chatPage.sidebar.root).toBeVisible();
  await mobile.chatPage.sidebar.expectUnread(mobile.chatPage.sidebar.room(random), 2);
  await mobile.chatPage.sidebar.expectPresence(mobile.chatPage.sidebar.dm(linus.username), true);
  // the drawer slides in: wait until it has arrived
  await mobile.page.waitForFunction(() => document.getElementById("sidebar")?.getBoundingClientRect().x === 0);
  await mobile.page.screenshot({ path: docs("screenshot-sidebar.png") });
  await mobile.page.emulateMedia({ colorScheme: "dark" });
  await mobile.page.screenshot({ path: docs("screenshot-sidebar-dark.png") });
});

test("docs screenshots: the settings page, desktop and phone, light and dark", async ({
  newUser,
  request,
  serverURL,
}) => {
  test.setTimeout(90_000);
  const ada = await newUser("ada", DESKTOP, uniqueUsername("ada", 2));
  await signInViaApi(request, ada, serverURL);
  const avatar = await sharp({
    create: { width: 256, height: 256, channels: 3, background: { r: 59, g: 91, b: 219 } },
  })
    .composite([
      {
        input: Buffer.from(
          '<svg width="256" height="256"><circle cx="128" cy="104" r="52" fill="#e7edff"/><ellipse cx="128" cy="236" rx="92" ry="70" fill="#e7edff"/></svg>',
        ),
      },
    ])
    .png()
    .toBuffer();
  const settings = new SettingsPage(ada.page);
  await settings.goto();
  await settings.saveProfile({ displayName: "Ada Lovelace", status: "Writing notes on the Analytical Engine" });
  await settings.uploadAvatar(avatar);
  await expect(settings.sessions.getByTestId("session")).toHaveCount(1);
  await ada.page.screenshot({ path: docs("screenshot-settings.png") });
  await ada.page.emulateMedia({ colorScheme: "dark" });
  await ada.page.screenshot({ path: docs("screenshot-settings-dark.png") });
  // the name and avatar on a message, and the card they open
  await ada.chatPage.goto();
  await ada.chatPage.send("Notes on the engine are in the design room.");
  const own = ada.chatPage.messages.getByTestId("message").last();
  await expect(own.locator("img.avatar")).toBeVisible();
  await own.locator(".author-button").click();
  await expect(ada.page.getByTestId("profile-card")).toContainText("Writing notes");
  await ada.page.screenshot({ path: docs("screenshot-profile-card-dark.png") });

  const mobile = await newUser("ada", MOBILE, ada.username);
  await mobile.context.addCookies([
    { name: SESSION_COOKIE, value: await apiLogin(request, ada.username), url: serverURL, httpOnly: true },
  ]);
  const onPhone = new SettingsPage(mobile.page);
  await onPhone.goto();
  await expect(onPhone.sessions.getByTestId("session")).toHaveCount(2);
  await expect(onPhone.profile.getByLabel("Display name")).toHaveValue("Ada Lovelace");
  await mobile.page.screenshot({ path: docs("screenshot-settings-mobile.png") });
  // dark chosen in Settings (not the system's): the page itself is dark
  await onPhone.chooseTheme("Dark");
  await mobile.page.locator(".settings-pane").evaluate((pane) => pane.scrollTo(0, 0));
  await mobile.page.screenshot({ path: docs("screenshot-settings-mobile-dark.png") });
});
