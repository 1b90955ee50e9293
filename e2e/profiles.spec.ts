// Issue 14, profiles and sessions in the browser: a password change signs the other browser out; a profile
// (display name, avatar) reaches the other user's open view without a reload; the profile card; the theme
// is remembered across a reload.
import sharp from "sharp";
import { SESSION_COOKIE } from "../lib/protocol";
import { apiLogin, expect, PASSWORD, signInViaApi, test, uniqueText } from "./fixtures";
import { SettingsPage } from "./pages/settings-page";

const redSquare = () =>
  sharp({ create: { width: 300, height: 300, channels: 3, background: { r: 220, g: 30, b: 60 } } })
    .png()
    .toBuffer();

test("changing the password signs the other browser out; this one stays signed in", async ({
  alice,
  newUser,
  request,
  serverURL,
}) => {
  await signInViaApi(request, alice, serverURL);
  // the same account in a second, separate browser
  const elsewhere = await newUser("alice", {}, alice.username);
  const token = await apiLogin(request, alice.username);
  await elsewhere.context.addCookies([{ name: SESSION_COOKIE, value: token, url: serverURL, httpOnly: true }]);
  await elsewhere.chatPage.goto();

  const settings = new SettingsPage(alice.page);
  await alice.page.getByTestId("settings-link").click();
  await expect(alice.page).toHaveURL("/settings");
  await expect(settings.sessions.getByTestId("session")).toHaveCount(2);
  await expect(settings.sessions.locator('[data-current="true"]')).toContainText("This device");

  await settings.changePassword(PASSWORD, "a brand new passphrase");
  await expect(settings.password.getByRole("status")).toHaveText("Password changed. 1 other session was signed out.");
  await expect(elsewhere.page).toHaveURL(/\/login$/);
  await expect(settings.sessions.getByTestId("session")).toHaveCount(1);

  // this browser carries on: its socket is live and it can still send
  await alice.chatPage.goto();
  const text = uniqueText("after the change");
  await alice.chatPage.send(text);
  await alice.chatPage.expectMessage(text, { author: alice.username, own: true });
});

test("a new display name and avatar show on the other user's open view without a reload; the profile card", async ({
  alice,
  bob,
  request,
  serverURL,
}) => {
  await signInViaApi(request, alice, serverURL);
  await signInViaApi(request, bob, serverURL);
  const text = uniqueText("hello from alice");
  await alice.chatPage.send(text);
  const seenByBob = bob.chatPage.message(text);
  await expect(seenByBob).toBeVisible();
  await expect(seenByBob.locator(".author")).toHaveText(alice.username);
  await expect(seenByBob.locator("span.avatar")).toBeVisible();

  const settings = new SettingsPage(alice.page);
  await settings.goto();
  await settings.saveProfile({ displayName: "Alice Liddell", status: "Down the rabbit hole" });
  await settings.uploadAvatar(await redSquare());

  // bob's page was never reloaded: user:updated re-rendered the message
  await expect(seenByBob.locator(".author")).toHaveText("Alice Liddell");
  await expect(seenByBob.locator(".handle")).toHaveText(alice.username);
  const img = seenByBob.locator("img.avatar");
  await expect(img).toHaveAttribute("src", /^\/api\/avatars\/[0-9a-f]{32}\?size=64$/);
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(64);

  // the name opens the profile card, whose Message button opens the DM
  await seenByBob.locator(".author-button").click();
  const card = bob.page.getByTestId("profile-card");
  await expect(card).toContainText("Alice Liddell");
  await expect(card).toContainText(`@${alice.username}`);
  await expect(card).toContainText("Down the rabbit hole");
  await expect(card).toContainText("Online");
  await card.getByRole("link", { name: "Message" }).click();
  await expect(bob.page).toHaveURL(`/dm/${alice.username}`);
  await expect(card).toBeHidden();
});

test("the longest display name is cut with an ellipsis: the username, the time and the list keep their place", async ({
  alice,
  bob,
  request,
  serverURL,
}) => {
  await signInViaApi(request, alice, serverURL);
  await signInViaApi(request, bob, serverURL);
  const settings = new SettingsPage(alice.page);
  await settings.goto();
  await settings.saveProfile({ displayName: "W".repeat(64), status: "" });
  await alice.chatPage.goto();
  const text = uniqueText("from a long name");
  await alice.chatPage.send(text);
  const seen = bob.chatPage.message(text);
  await expect(seen.locator(".author")).toHaveText("W".repeat(64));
  for (const size of [
    { width: 1280, height: 800 },
    { width: 390, height: 844 },
  ]) {
    await bob.page.setViewportSize(size);
    const [name, handle, time, row] = await Promise.all(
      [seen.locator(".author"), seen.locator(".handle"), seen.locator("time"), seen].map((l) => l.boundingBox()),
    );
    expect(handle, `the username is shown at ${size.width}px`).not.toBeNull();
    expect(name!.x + name!.width, `the name ends before the username at ${size.width}px`).toBeLessThanOrEqual(
      handle!.x,
    );
    expect(handle!.x + handle!.width).toBeLessThanOrEqual(time!.x);
    expect(time!.x + time!.width, `the time is inside the row at ${size.width}px`).toBeLessThanOrEqual(
      row!.x + row!.width,
    );
    const list = bob.chatPage.messages;
    expect(await list.evaluate((e) => e.scrollWidth - e.clientWidth), "the list never scrolls sideways").toBe(0);
  }
  await bob.page.setViewportSize({ width: 1280, height: 800 });
  // the People list shows the username (what @ and direct messages take) before the display name
  const person = bob.page.locator(".conversation").filter({ hasText: alice.username });
  await expect(person.locator(".label")).toHaveText(alice.username);
  const label = await person.locator(".label").evaluate((e) => e.scrollWidth - e.clientWidth);
  expect(label, "the username is not cut").toBe(0);
});

test("the theme is applied at once and remembered across a reload", async ({ alice, request, serverURL }) => {
  await signInViaApi(request, alice, serverURL);
  await alice.page.emulateMedia({ colorScheme: "light" });
  const settings = new SettingsPage(alice.page);
  await settings.goto();
  const html = alice.page.locator("html");
  const background = () => alice.page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const lightBackground = await background();

  await settings.chooseTheme("Dark");
  await expect(html).toHaveAttribute("data-theme", "dark");
  expect(await background()).not.toBe(lightBackground);

  await alice.page.reload();
  // served dark: the attribute is in the HTML itself, before any script runs
  await expect(html).toHaveAttribute("data-theme", "dark");
  await expect(settings.theme.getByLabel("Dark")).toBeChecked();
  const served = await request.get("/settings", {
    headers: { cookie: (await alice.context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ") },
  });
  expect(await served.text()).toMatch(/<html[^>]*data-theme="dark"/);

  await settings.chooseTheme("Same as the system");
  await expect(html).not.toHaveAttribute("data-theme", /.*/);
  expect(await background()).toBe(lightBackground);
  await alice.page.reload();
  await expect(settings.theme.getByLabel("Same as the system")).toBeChecked();
});
