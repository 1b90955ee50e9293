// The web UI end to end: two people in separate browser contexts, live messages, history, logout,
// the composer's keys, escaping of hostile content, and the login form's inline errors.
import { apiRegister, expect, signInViaApi, test, uniqueText, uniqueUsername, PASSWORD } from "./fixtures";

test.describe("chat between two users", () => {
  test("register, exchange messages live both ways, keep history across reload and re-login, log out", async ({
    alice,
    bob,
  }) => {
    await alice.loginPage.register(alice.username, alice.password);
    await alice.chatPage.expectSignedInAs(alice.username);
    await bob.loginPage.register(bob.username, bob.password);
    await bob.chatPage.expectSignedInAs(bob.username);
    await alice.chatPage.expectLive();
    await bob.chatPage.expectLive();

    // alice → bob: bob's page was already open, so the message can only have arrived live
    const fromAlice = uniqueText(`Hi ${bob.username}, this is alice`);
    await alice.chatPage.send(fromAlice);
    await alice.chatPage.expectMessage(fromAlice, { author: alice.username, own: true });
    await bob.chatPage.expectMessage(fromAlice, { author: alice.username, own: false });

    // bob → alice
    const fromBob = uniqueText(`Hello ${alice.username}! bob here`);
    await bob.chatPage.send(fromBob);
    await bob.chatPage.expectMessage(fromBob, { author: bob.username, own: true });
    await alice.chatPage.expectMessage(fromBob, { author: bob.username, own: false });

    // both orders agree: alice's message comes first (ids increase in commit order)
    for (const user of [alice, bob]) {
      const ids = await Promise.all(
        [fromAlice, fromBob].map(async (c) => Number(await user.chatPage.message(c).getAttribute("data-id"))),
      );
      expect(ids[0]).toBeLessThan(ids[1] ?? Number.NaN);
    }

    // history survives a reload
    await alice.page.reload();
    await alice.chatPage.expectLive();
    await alice.chatPage.expectMessage(fromAlice, { author: alice.username, own: true });
    await alice.chatPage.expectMessage(fromBob, { author: bob.username, own: false });

    // log out: back on /login, and / is no longer reachable
    await alice.chatPage.logout();
    await alice.loginPage.expectLoginMode();
    await alice.page.goto("/");
    await expect(alice.page).toHaveURL(/\/login$/);
    await alice.loginPage.expectLoginMode();

    // bob's session is unaffected by alice's logout
    await bob.chatPage.expectLive();
    const afterLogout = uniqueText("still here");
    await bob.chatPage.send(afterLogout);

    // alice logs in again (login mode) and finds the whole conversation, her own lines still marked as hers
    await alice.loginPage.login(alice.username, alice.password);
    await alice.chatPage.expectSignedInAs(alice.username);
    await alice.chatPage.expectLive();
    await alice.chatPage.expectMessage(fromAlice, { author: alice.username, own: true });
    await alice.chatPage.expectMessage(fromBob, { author: bob.username, own: false });
    await alice.chatPage.expectMessage(afterLogout, { author: bob.username, own: false });

    await bob.chatPage.logout();
    await bob.page.reload();
    await expect(bob.page).toHaveURL(/\/login$/);
  });
});

test.describe("session", () => {
  test("the header shows the connection as Live and the signed-in user", async ({ alice, request, serverURL }) => {
    await signInViaApi(request, alice, serverURL);
    await expect(alice.chatPage.connectionState).toBeVisible();
    await expect(alice.chatPage.connectionState).toHaveText("Live");
    await expect(alice.chatPage.whoami).toHaveText(alice.username);
  });

  test("Log out ends on /login, and / then redirects to /login", async ({ alice, request, serverURL }) => {
    await signInViaApi(request, alice, serverURL);
    await alice.chatPage.logout();
    await alice.loginPage.expectLoginMode();
    await alice.page.reload();
    await expect(alice.page).toHaveURL(/\/login$/);
    await alice.page.goto("/");
    await expect(alice.page).toHaveURL(/\/login$/);
    await alice.loginPage.expectLoginMode();
  });
});

test.describe("composer", () => {
  test("Enter sends, Shift+Enter inserts a new line", async ({ alice, request, serverURL }) => {
    await signInViaApi(request, alice, serverURL);
    const { composer } = alice.chatPage;
    const first = uniqueText("first line");
    const second = uniqueText("second line");

    await composer.fill(first);
    await composer.press("Shift+Enter");
    await composer.pressSequentially(second);
    await expect(composer).toHaveValue(`${first}\n${second}`);
    await expect(alice.chatPage.outgoing).toHaveCount(0);

    await composer.press("Enter");
    await expect(composer).toHaveValue("");
    const sent = alice.chatPage.messages.getByTestId("message").filter({ hasText: first });
    await expect(sent).toHaveCount(1); // one message: Shift+Enter did not send the first line on its own
    // the line break is kept (as a <br> in the message's paragraph, so read as rendered text)
    await expect(sent.locator(".body")).toHaveJSProperty("innerText", `${first}\n${second}`);
    await expect(sent).toHaveClass(/(^|\s)own(\s|$)/);
  });

  test("hostile content is shown as literal text and never runs", async ({ alice, bob, request, serverURL }) => {
    for (const user of [alice, bob]) await signInViaApi(request, user, serverURL);
    const dialogs: string[] = [];
    for (const user of [alice, bob])
      user.page.on("dialog", (d) => void d.dismiss().then(() => dialogs.push(d.message())));

    const img = `<img src=x onerror="window.__xss=1"> ${uniqueText("xss")}`;
    const link = `javascript:alert(1) ${uniqueText("link")}`;
    await alice.chatPage.send(img);
    await alice.chatPage.send(link);

    for (const user of [alice, bob]) {
      const { chatPage, page } = user;
      await expect(chatPage.message(img).locator(".body")).toHaveJSProperty("textContent", img);
      await expect(chatPage.message(link).locator(".body")).toHaveJSProperty("textContent", link);
      await expect(chatPage.messages.locator("img, a[href^='javascript'], script, iframe")).toHaveCount(0);
      expect(await page.evaluate(() => (window as Window & { __xss?: unknown }).__xss)).toBeUndefined();
    }
    // after a reload the content comes from history instead of the live event: still inert
    await bob.page.reload();
    await expect(bob.chatPage.message(img)).toHaveCount(1);
    await expect(bob.chatPage.messages.locator("img")).toHaveCount(0);
    expect(await bob.page.evaluate(() => (window as Window & { __xss?: unknown }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });
});

test.describe("login form errors", () => {
  test("a wrong password shows an inline error; the right one then logs in", async ({ alice, request }) => {
    await apiRegister(request, alice.username);
    await alice.loginPage.submitCredentials(alice.username, "not-the-password");
    await alice.loginPage.expectError("Invalid credentials");
    await expect(alice.loginPage.password).toBeVisible();
    // where to turn without a password: there is no mail, an admin makes reset links
    await expect(alice.loginPage.password).toHaveAccessibleDescription(
      "Forgot it? An admin can make you a reset link.",
    );

    await alice.loginPage.fill(alice.username, PASSWORD);
    await alice.loginPage.submitLogin.click();
    await alice.chatPage.expectSignedInAs(alice.username);
  });

  test("a taken username (any case) shows an inline error in register mode", async ({ alice, request }) => {
    await apiRegister(request, alice.username);
    await alice.loginPage.goto();
    await alice.loginPage.switchToRegister();
    await alice.loginPage.fill(alice.username.toUpperCase(), PASSWORD);
    await alice.loginPage.submitRegister.click();
    await alice.loginPage.expectError("User already exists");
    await expect(alice.loginPage.heading).toHaveText("Create your account");
  });

  test("invalid input is explained before anything is sent", async ({ alice }) => {
    await alice.loginPage.goto();
    await alice.loginPage.switchToRegister();
    await alice.loginPage.fill(uniqueUsername("v"), "short");
    await alice.loginPage.submitRegister.click();
    await alice.loginPage.expectError(/password must be at least 8/);
    await alice.loginPage.fill("a b", PASSWORD);
    await alice.loginPage.submitRegister.click();
    await alice.loginPage.expectError(/username may contain only/);
  });
});
