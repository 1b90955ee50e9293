// Administration in the browser (SPEC.md "Accounts, sessions, administration"), each person in their own
// context: an admin deactivates someone who is chatting (they are logged out at once and cannot log in);
// invite-only registration through the UI with a valid, a used-up and an expired invite; removing an admin,
// a password reset link (then used) and revoking an invite each confirmed in a dialog; non-admins get 403.
import { fileURLToPath } from "node:url";
import { apiLogin, expect, sendMessage, connect, signInViaApi, test, uniqueText, type ChatUser } from "./fixtures";
import { AdminPage, adminCli, apiInvite, expireInvite, setRegistration } from "./support/admin";

// each test spawns `npm run admin` (tsx) at least once: seconds on a loaded machine
test.describe.configure({ timeout: 90_000 });

/** an admin's token while a test has registration closed to the suite: afterEach opens it again, even after a timeout */
let reopenWith: string | undefined;
test.afterEach(async ({ request }) => {
  if (reopenWith) await setRegistration(request, reopenWith, "open");
  reopenWith = undefined;
});

/** signs `user` in and makes them an admin from the shell, as a locked-out owner would */
async function admin(user: ChatUser, request: Parameters<typeof signInViaApi>[0], serverURL: string): Promise<string> {
  const token = await signInViaApi(request, user, serverURL);
  expect(await adminCli("grant", user.username)).toMatch(new RegExp(`${user.username} is an admin`));
  return token;
}

test("an admin deactivates someone who is chatting: their tab is logged out and they cannot log in", async ({
  newUser,
  request,
  serverURL,
  socket,
}) => {
  const boss = await newUser("boss");
  const chatter = await newUser("chatter");
  await admin(boss, request, serverURL);
  const chatterToken = await signInViaApi(request, chatter, serverURL);
  await chatter.chatPage.expectLive();
  const said = uniqueText("still here");
  await chatter.chatPage.send(said);

  // the Admin link is in the admin's top bar only
  await boss.page.reload();
  await expect(boss.page.getByRole("link", { name: "Admin" })).toBeVisible();
  await expect(chatter.page.getByRole("link", { name: "Admin" })).toHaveCount(0);
  await boss.page.getByRole("link", { name: "Admin" }).click();
  const adminPage = new AdminPage(boss.page);
  await expect(boss.page).toHaveURL(/\/admin$/);
  await adminPage.deactivate(chatter.username);

  // the chatting tab lands on the login page; logging in again is refused like a wrong password
  await expect(chatter.page).toHaveURL(/\/login/);
  await chatter.loginPage.fill(chatter.username, chatter.password);
  await chatter.loginPage.submitLogin.click();
  await expect(chatter.loginPage.error).toHaveText("Invalid credentials");
  expect((await request.get("/api/rooms", { headers: { Authorization: `Bearer ${chatterToken}` } })).status()).toBe(
    401,
  );

  // the message stays, and the audit log says who did it
  const witness = await connect(socket({ token: await apiLogin(request, boss.username) }));
  const marker = await sendMessage(witness, uniqueText("after"));
  const history = await request.get(`/api/messages?before=${marker.id + 1}&limit=50`, {
    headers: { Authorization: `Bearer ${await apiLogin(request, boss.username)}` },
  });
  expect(((await history.json()) as { messages: { content: string }[] }).messages.map((m) => m.content)).toContain(
    said,
  );
  await expect(adminPage.auditLog.getByRole("row").filter({ hasText: chatter.username }).first()).toContainText(
    "deactivated",
  );
});

test("invite-only registration through the UI: a valid invite admits once; used-up and expired ones say so", async ({
  newUser,
  request,
  serverURL,
}) => {
  const host = await newUser("host");
  const token = await admin(host, request, serverURL);
  const adminPage = new AdminPage(host.page);
  await adminPage.goto();
  reopenWith = token;
  await adminPage.chooseRegistration("Invite only");
  const url = await adminPage.createInvite();
  expect(url).toMatch(/\/register\?invite=[A-Za-z0-9_-]{43}$/);

  // without an invite the register form says why it cannot register
  const stranger = await newUser("stranger");
  await stranger.page.goto("/register");
  await expect(stranger.page.getByTestId("registration-problem")).toContainText("needs an invite link");

  // the invite link opens the register form, which registers and signs in
  const guest = await newUser("guest");
  await guest.page.goto(url);
  await expect(guest.loginPage.heading).toHaveText("Create your account");
  await expect(guest.page.getByTestId("invite-note")).toBeVisible();
  await guest.loginPage.waitForHydration();
  await guest.loginPage.fill(guest.username, guest.password);
  await guest.loginPage.submitRegister.click();
  await guest.chatPage.expectSignedInAs(guest.username);

  // the same link again: used up
  const late = await newUser("late");
  await late.page.goto(url);
  await expect(late.page.getByTestId("registration-problem")).toContainText("used up");
  await expect(late.loginPage.submitRegister).toBeDisabled();

  // an expired one
  const old = await apiInvite(request, token);
  expireInvite(old.id);
  await late.page.goto(old.url);
  await expect(late.page.getByTestId("registration-problem")).toContainText("has expired");

  await adminPage.page.reload();
  const invites = adminPage.page.getByRole("table", { name: "Invites not revoked" });
  await expect(invites.getByRole("row", { name: new RegExp(`^#${old.id} `) })).toContainText("Expired");
});

test("removing an admin, making a password reset link and revoking an invite each ask first; Cancel and Escape do nothing", async ({
  newUser,
  request,
  serverURL,
}) => {
  const host = await newUser("chief");
  const token = await admin(host, request, serverURL);
  const deputy = await newUser("deputy");
  await signInViaApi(request, deputy, serverURL);
  await adminCli("grant", deputy.username);
  const invite = await apiInvite(request, token);
  const adminPage = new AdminPage(host.page);
  await adminPage.goto();
  const page = host.page;
  const dialog = (name: string) => page.getByRole("dialog", { name });
  const audit = (action: string) =>
    adminPage.auditLog.getByRole("row").filter({ hasText: action }).filter({ hasText: deputy.username });

  // remove an admin: Cancel (focused first) leaves them an admin; confirming removes them
  const row = await adminPage.find(deputy.username);
  const removeQuestion = dialog(`Remove ${deputy.username} as admin?`);
  await row.getByRole("button", { name: `Remove admin from ${deputy.username}` }).click();
  await expect(removeQuestion).toBeVisible();
  await expect(removeQuestion.getByRole("button", { name: "Cancel" })).toBeFocused();
  await removeQuestion.getByRole("button", { name: "Cancel" }).click();
  await expect(removeQuestion).toBeHidden();
  await expect(row.getByText("Admin", { exact: true })).toBeVisible();
  await row.getByRole("button", { name: `Remove admin from ${deputy.username}` }).click();
  await removeQuestion.getByRole("button", { name: "Remove admin" }).click();
  await expect(removeQuestion).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: `${deputy.username} is no longer an admin.` })).toBeVisible();
  await expect(row.getByText("Admin", { exact: true })).toHaveCount(0);
  await expect(row.getByRole("button", { name: `Make admin ${deputy.username}` })).toBeVisible();

  // a password reset link: Escape closes the question without one; confirming makes it
  const resetQuestion = dialog(`Reset ${deputy.username}'s password?`);
  await row.getByRole("button", { name: `Reset password of ${deputy.username}` }).click();
  await expect(resetQuestion).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(resetQuestion).toBeHidden();
  await row.getByRole("button", { name: `Reset password of ${deputy.username}` }).click();
  await resetQuestion.getByRole("button", { name: "Make reset link" }).click();
  await expect(page.locator("#reset-url")).toHaveValue(/\/reset-password\?token=[A-Za-z0-9_-]+$/);
  // the link works: the deputy sets a new password with it and logs in with that one
  await deputy.page.goto(await page.locator("#reset-url").inputValue());
  const newPassword = deputy.page.getByLabel("New password", { exact: true });
  await expect(newPassword).toBeFocused();
  await expect(deputy.page.getByText("8–72 bytes")).toBeVisible();
  // typed twice: a typo is caught here, and the link still works
  await newPassword.fill("a-brand-new-secret");
  await deputy.page.getByLabel("New password again").fill("a-brand-new-secre");
  await deputy.page.getByRole("button", { name: "Set password" }).click();
  await expect(deputy.page.locator(".auth-card").getByRole("alert")).toHaveText("The new passwords do not match");
  await deputy.page.getByLabel("New password again").fill("a-brand-new-secret");
  await deputy.page.getByRole("button", { name: "Set password" }).click();
  await expect(deputy.page.getByRole("status")).toHaveText("Password changed. You can log in with it now.");
  await apiLogin(request, deputy.username, "a-brand-new-secret");

  // revoke an invite: Cancel keeps it listed; confirming takes it off the list
  const invites = page.getByRole("table", { name: "Invites not revoked" });
  const inviteRow = invites.getByRole("row", { name: new RegExp(`^#${invite.id} `) });
  const revokeQuestion = dialog(`Revoke invite #${invite.id}?`);
  await inviteRow.getByRole("button", { name: `Revoke invite #${invite.id}` }).click();
  await revokeQuestion.getByRole("button", { name: "Cancel" }).click();
  await expect(revokeQuestion).toBeHidden();
  await expect(inviteRow).toBeVisible();
  await inviteRow.getByRole("button", { name: `Revoke invite #${invite.id}` }).click();
  await revokeQuestion.getByRole("button", { name: "Revoke invite" }).click();
  await expect(inviteRow).toHaveCount(0);

  // the audit log (fetched after the last change) has each action once: neither Cancel nor Escape did one
  await page.reload();
  const revoked = adminPage.auditLog.getByRole("row").filter({ hasText: "invite revoked" });
  await expect(revoked.filter({ has: page.getByRole("cell", { name: `#${invite.id}`, exact: true }) })).toHaveCount(1);
  await expect(audit("removed as admin")).toHaveCount(1);
  await expect(audit("password reset link made")).toHaveCount(1);
});

test("an admin deletes someone else's message from the chat; a member sees no Delete on others' messages", async ({
  newUser,
  request,
  serverURL,
}) => {
  const moderator = await newUser("moderator");
  const poster = await newUser("poster");
  await admin(moderator, request, serverURL);
  await signInViaApi(request, poster, serverURL);
  await moderator.page.reload();
  await moderator.chatPage.expectLive();
  await poster.chatPage.expectLive();
  const own = await moderator.chatPage.send(uniqueText("from the moderator"));
  const text = uniqueText("off-topic");
  const message = await poster.chatPage.send(text);
  const id = Number(await message.getAttribute("data-id"));

  // the poster (no admin) gets no Delete on the moderator's message
  const theirs = poster.chatPage.messageById(Number(await own.getAttribute("data-id")));
  await theirs.hover();
  await expect(theirs.getByRole("button", { name: "Reply" })).toBeVisible();
  await expect(theirs.getByRole("button", { name: "Delete" })).toHaveCount(0);

  const seen = moderator.chatPage.messageById(id);
  await moderator.chatPage.messageAction(seen, "Delete");
  const dialog = moderator.page.getByRole("dialog", { name: "Delete message?" });
  await dialog.getByRole("button", { name: "Delete" }).click();
  for (const user of [moderator, poster]) {
    await expect(user.chatPage.messageById(id)).toHaveAttribute("data-deleted", "true");
  }
});

test("a non-admin gets a 403 page at /admin", async ({ newUser, request, serverURL }) => {
  const member = await newUser("member");
  await signInViaApi(request, member, serverURL);
  const res = await member.page.goto("/admin");
  expect(res?.status()).toBe(403);
  await expect(member.page.getByRole("heading", { name: "Admins only" })).toBeVisible();
});

// looked at by hand (test-results/screenshots/, or docs/ with UPDATE_SCREENSHOTS=1)
const shot = (name: string) =>
  fileURLToPath(
    new URL(`../${process.env.UPDATE_SCREENSHOTS ? "docs" : "test-results/screenshots"}/${name}`, import.meta.url),
  );

test("screenshots of /admin: desktop and phone, light and dark", async ({ newUser, request, serverURL }) => {
  const owner = await newUser("owner", { viewport: { width: 1440, height: 900 } });
  const token = await admin(owner, request, serverURL);
  for (const name of ["ada", "grace", "linus"]) {
    const person = await newUser(name);
    await signInViaApi(request, person, serverURL);
  }
  await apiInvite(request, token);
  const page = new AdminPage(owner.page);
  await page.goto();
  await page.createInvite();
  await expect(page.auditLog).toBeVisible();
  await owner.page.screenshot({ path: shot("screenshot-admin.png"), fullPage: true });
  await owner.page.emulateMedia({ colorScheme: "dark" });
  await owner.page.screenshot({ path: shot("screenshot-admin-dark.png"), fullPage: true });

  const phone = await newUser("phone", { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await phone.context.addCookies((await owner.context.cookies()).map((c) => ({ ...c })));
  const small = new AdminPage(phone.page);
  await small.goto();
  await expect(small.auditLog).toBeVisible();
  // the bar says where this is (it showed only "Back to the chat"), and fits the phone's width
  await expect(phone.page.locator(".admin-bar-title")).toBeVisible();
  await expect(phone.page.getByRole("link", { name: "Back to the chat" })).toBeInViewport({ ratio: 1 });
  await phone.page.screenshot({ path: shot("screenshot-admin-mobile.png"), fullPage: true });
  await phone.page.emulateMedia({ colorScheme: "dark" });
  await phone.page.screenshot({ path: shot("screenshot-admin-mobile-dark.png"), fullPage: true });
});
