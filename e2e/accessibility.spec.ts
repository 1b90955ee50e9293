// axe on every page and every dialog, in light and dark: no serious or critical violation (WCAG 2.1 A/AA).
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { connect, createRoom, expect, sendMessage, signInViaApi, test, type ChatUser } from "./fixtures";
import { AdminPage, adminCli } from "./support/admin";

async function expectNoSeriousViolations(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = serious.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(" ")).join("\n  ")}`,
  );
  expect(report, `axe on ${what}`).toEqual([]);
}

async function openDialog(user: ChatUser, button: string, within = user.page.locator("body")): Promise<void> {
  await within.getByRole("button", { name: button, exact: true }).click();
  await expect(user.page.locator("dialog[open]")).toBeVisible();
}

async function closeDialog(user: ChatUser): Promise<void> {
  await user.page.keyboard.press("Escape");
  await expect(user.page.locator("dialog[open]")).toHaveCount(0);
}

for (const colorScheme of ["light", "dark"] as const) {
  test(`axe: login, register and 404 pages (${colorScheme})`, async ({ newUser }) => {
    const visitor = await newUser("visitor", { colorScheme });
    await visitor.loginPage.goto();
    await expectNoSeriousViolations(visitor.page, "the login page");
    await visitor.loginPage.switchToRegister();
    await expectNoSeriousViolations(visitor.page, "the register form");
    await visitor.page.goto("/register");
    await expectNoSeriousViolations(visitor.page, "/register");
    await visitor.page.goto("/no/such/page");
    await expect(visitor.page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expectNoSeriousViolations(visitor.page, "the 404 page");
  });

  test(`axe: a room, a DM and every dialog (${colorScheme})`, async ({ newUser, request, serverURL, socket }) => {
    test.setTimeout(240_000); // eleven axe runs, a few seconds each on a busy machine
    const ada = await newUser("ada", { colorScheme, viewport: { width: 1440, height: 900 } });
    const bob = await newUser("bob", { colorScheme });
    const token = await signInViaApi(request, ada, serverURL);
    const bobToken = await signInViaApi(request, bob, serverURL);
    const bobSocket = await connect(socket({ token: bobToken }));
    const room = `axe-${colorScheme}-${Date.now().toString(36)}`;
    await createRoom(await connect(socket({ token })), room, true);
    await sendMessage(bobSocket, "a message from bob", { to: ada.username });

    const { page, chatPage } = ada;
    await page.goto(`/r/${room}`);
    await chatPage.expectLive();
    await chatPage.expectRoom(`Private room # ${room}`);
    const own = await chatPage.send("a message of my own");
    await chatPage.messageAction(own, "Reply");
    await sendMessage(bobSocket, "one more", { to: ada.username });
    await expectNoSeriousViolations(page, `# ${room} (replying)`);

    const header = page.locator(".room-header");
    await openDialog(ada, "Invite", header);
    await expectNoSeriousViolations(page, "the invite dialog");
    await closeDialog(ada);
    await openDialog(ada, "Leave", header);
    await expectNoSeriousViolations(page, "the leave dialog");
    await closeDialog(ada);
    await openDialog(ada, "Webhooks", header);
    await expectNoSeriousViolations(page, "the webhooks dialog");
    await closeDialog(ada);
    await openDialog(ada, "API tokens");
    await expectNoSeriousViolations(page, "the API tokens dialog");
    await closeDialog(ada);
    await chatPage.messageAction(own, "Delete");
    await expect(page.locator("dialog[open]")).toBeVisible();
    await expectNoSeriousViolations(page, "the delete dialog");
    await closeDialog(ada);
    await openDialog(ada, `Notifications for # ${room}`, header);
    await expectNoSeriousViolations(page, "a room's notifications dialog");
    await closeDialog(ada);
    await openDialog(ada, "Notification settings");
    await expect(page.getByTestId("room-levels")).toBeVisible();
    await expectNoSeriousViolations(page, "the notification settings dialog");
    await closeDialog(ada);
    await openDialog(ada, "Create a room");
    await expectNoSeriousViolations(page, "the create-room dialog");
    await closeDialog(ada);
    await openDialog(ada, "Browse rooms");
    await expectNoSeriousViolations(page, "the room directory");
    await closeDialog(ada);
    await chatPage.openMembers();
    await expectNoSeriousViolations(page, "the members popover");
    await page.keyboard.press("Escape");
    await chatPage.messageAction(own, "Add reaction");
    await expect(chatPage.emojiPicker).toBeVisible();
    await expectNoSeriousViolations(page, "the emoji picker");
    await page.keyboard.press("Escape");

    await chatPage.sidebar.dm(bob.username).click();
    await chatPage.expectRoom(`@${bob.username}`);
    await expect(chatPage.message("one more")).toBeVisible();
    await expectNoSeriousViolations(page, "a DM");
    await page.goto("/dm/nobody_at_all");
    await expect(page.getByTestId("no-such-user")).toBeVisible();
    await expectNoSeriousViolations(page, "a DM to nobody");
  });

  test(`axe: the admin page, its 403 and an invalid reset link (${colorScheme})`, async ({
    newUser,
    request,
    serverURL,
  }) => {
    // `npm run admin` (tsx) and three axe scans: as in admin.spec.ts, well over 30 s on a loaded machine
    test.setTimeout(90_000);
    const boss = await newUser("axeboss", { colorScheme, viewport: { width: 1440, height: 900 } });
    const member = await newUser("axemember", { colorScheme });
    await signInViaApi(request, boss, serverURL);
    await signInViaApi(request, member, serverURL);
    await adminCli("grant", boss.username);
    const admin = new AdminPage(boss.page);
    await admin.goto();
    await admin.createInvite();
    await (await admin.find(member.username)).getByRole("button", { name: `Deactivate ${member.username}` }).click();
    await expect(boss.page.getByRole("button", { name: `Confirm: deactivate ${member.username}` })).toBeVisible();
    await admin.search.fill("");
    await expect(admin.auditLog).toBeVisible();
    await expectNoSeriousViolations(boss.page, "/admin");
    await member.page.goto("/admin");
    await expect(member.page.getByRole("heading", { name: "Admins only" })).toBeVisible();
    await expectNoSeriousViolations(member.page, "the 403 page");
    await member.page.goto("/reset-password?token=nothing");
    await expect(member.page.getByRole("heading", { name: "Link not valid" })).toBeVisible();
    await expectNoSeriousViolations(member.page, "an invalid reset link");
  });
}

for (const colorScheme of ["light", "dark"] as const) {
  test(`axe: the settings page and a profile card (${colorScheme})`, async ({ alice, bob, request, serverURL }) => {
    await alice.page.emulateMedia({ colorScheme });
    await signInViaApi(request, alice, serverURL);
    await signInViaApi(request, bob, serverURL);
    await alice.page.goto("/settings");
    await expect(alice.page.getByTestId("settings-sessions").getByTestId("session")).toHaveCount(1);
    await expectNoSeriousViolations(alice.page, "/settings");
    const text = `card ${colorScheme}`;
    await bob.chatPage.send(text);
    await alice.chatPage.goto();
    await alice.chatPage.message(text).locator(".author-button").click();
    await expect(alice.page.getByTestId("profile-card")).toBeVisible();
    await expectNoSeriousViolations(alice.page, "the profile card");
  });
}
