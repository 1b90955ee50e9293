// Incoming webhooks and API tokens in the web UI: a member makes a hook from the room header, copies its URL
// (shown once), the test posts to it as another server would, and the other member sees the post under the
// bot's name with the "bot" badge and the maker beside it. Screenshots of the dialogs and a bot message,
// desktop and phone, light and dark (test-results/screenshots, or docs/ with UPDATE_SCREENSHOTS=1).
import { fileURLToPath } from "node:url";
import { SESSION_COOKIE } from "../lib/protocol";
import {
  apiLogin,
  connect,
  createRoom,
  expect,
  joinRoom,
  signInViaApi,
  test,
  uniqueText,
  uniqueUsername,
} from "./fixtures";

const shot = (name: string) =>
  fileURLToPath(
    new URL(`../${process.env.UPDATE_SCREENSHOTS ? "docs" : "test-results/screenshots"}/${name}`, import.meta.url),
  );
const DESKTOP = { viewport: { width: 1440, height: 900 } };
const MOBILE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

test("a hook made from the room header posts as a bot that the other member sees with its badge", async ({
  newUser,
  request,
  serverURL,
  socket,
}) => {
  test.setTimeout(90_000);
  const ada = await newUser("ada", DESKTOP, uniqueUsername("ada", 2));
  const grace = await newUser("grace", DESKTOP, uniqueUsername("grace", 2));
  const adaToken = await signInViaApi(request, ada, serverURL);
  const graceToken = await signInViaApi(request, grace, serverURL);
  const room = `ops-${uniqueUsername("r", 2).slice(2)}`;
  await createRoom(await connect(socket({ token: adaToken })), room);
  await joinRoom(await connect(socket({ token: graceToken })), room);
  await ada.chatPage.gotoRoom(room);
  await grace.chatPage.gotoRoom(room);

  // make it from the header, as a member does
  await ada.page.getByRole("button", { name: "Webhooks" }).click();
  const dialog = ada.page.getByRole("dialog", { name: `Webhooks for # ${room}` });
  await dialog.getByLabel("New webhook's name").fill("Grafana");
  await dialog.getByRole("button", { name: "Create" }).click();
  const urlField = dialog.getByLabel("URL of “Grafana”");
  await expect(urlField).toHaveValue(/\/hooks\/[A-Za-z0-9_-]{32}$/);
  await expect(dialog.getByTestId("hook")).toContainText("Grafana");
  await ada.page.screenshot({ path: shot("screenshot-hooks-dialog.png") });
  await ada.page.emulateMedia({ colorScheme: "dark" });
  await ada.page.screenshot({ path: shot("screenshot-hooks-dialog-dark.png") });
  await ada.page.emulateMedia({ colorScheme: "light" });
  const url = await urlField.inputValue();
  await dialog.getByRole("button", { name: "Close" }).click();

  // another server posts to it
  const alert = "**[FIRING:1] HighCPU** on `web-1`: CPU above 90%";
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text: alert, username: "Grafana Alerts" }),
  });
  expect(await res.text()).toBe("ok");

  const post = grace.chatPage.messages.getByTestId("message").filter({ hasText: "HighCPU" });
  await expect(post).toBeVisible();
  await expect(post.locator(".author")).toHaveText("Grafana Alerts");
  await expect(post.getByTestId("bot-badge")).toHaveText("bot");
  await expect(post).toContainText(`via ${ada.username}`);
  await expect(post.locator("strong")).toHaveText("[FIRING:1] HighCPU");
  // laid out as a person's message: the icon in the avatar column, the name on its row, left of the text
  const [icon, name, text] = await Promise.all(
    [post.locator(".bot-avatar"), post.locator(".author"), post.locator(".body")].map((l) => l.boundingBox()),
  );
  expect(icon!.x + icon!.width).toBeLessThanOrEqual(text!.x);
  expect(Math.abs(name!.y - icon!.y)).toBeLessThan(icon!.height / 2);
  // a reply quotes it under the bot's name, marked, never as the member who made the hook
  await grace.chatPage.messageAction(post, "Reply");
  const thanks = uniqueText("on it");
  await grace.chatPage.send(thanks);
  const quoted = grace.chatPage.message(thanks).getByTestId("reply-quote");
  await expect(quoted.locator(".reply-author")).toHaveText("Grafana Alerts");
  await expect(quoted.locator(".bot-badge")).toHaveText("bot");
  // the longest bot name is cut with an ellipsis: its badge and time stay in the row, the list never scrolls sideways
  const longName = "B".repeat(64);
  const second = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text: "long-named bot says hi", username: longName }),
  });
  expect(second.status).toBe(200);
  // an icon that cannot be loaded shows the bot's initials, not the browser's broken-image mark
  const iconless = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text: "broken icon says hi", username: "Kuma", icon_url: "https://127.0.0.1:9/kuma.png" }),
  });
  expect(iconless.status).toBe(200);
  const iconPost = grace.chatPage.messages.getByTestId("message").filter({ hasText: "broken icon says hi" });
  await expect(iconPost.locator("span.bot-avatar")).toHaveText("K");
  await expect(iconPost.locator("img")).toHaveCount(0);
  const longPost = grace.chatPage.messages.getByTestId("message").filter({ hasText: "long-named bot says hi" });
  await expect(longPost.locator(".author")).toHaveText(longName);
  await grace.page.setViewportSize({ width: 390, height: 844 });
  const [badge, time, row] = await Promise.all(
    [longPost.getByTestId("bot-badge"), longPost.locator("time"), longPost].map((l) => l.boundingBox()),
  );
  expect(badge!.x + badge!.width).toBeLessThanOrEqual(time!.x);
  expect(time!.x + time!.width).toBeLessThanOrEqual(row!.x + row!.width);
  expect(await grace.chatPage.messages.evaluate((e) => e.scrollWidth - e.clientWidth)).toBe(0);
  await grace.page.setViewportSize({ width: 1440, height: 900 });
  // the maker's own view: not shown as their own message (first: the reply below quotes it)
  const mine = ada.chatPage.messages.getByTestId("message").filter({ hasText: "HighCPU" }).first();
  await expect(mine).toBeVisible();
  await expect(mine).not.toHaveClass(/\bown\b/);
  await grace.page.screenshot({ path: shot("screenshot-bot-message.png") });
  await grace.page.emulateMedia({ colorScheme: "dark" });
  await grace.page.screenshot({ path: shot("screenshot-bot-message-dark.png") });

  // on a phone
  const phone = await newUser("grace", MOBILE, grace.username);
  const phoneToken = await apiLogin(request, grace.username);
  await phone.context.addCookies([{ name: SESSION_COOKIE, value: phoneToken, url: serverURL, httpOnly: true }]);
  await phone.chatPage.goto();
  await phone.chatPage.gotoRoom(room);
  await expect(phone.chatPage.messages.getByTestId("message").filter({ hasText: "HighCPU" }).first()).toBeVisible();
  await phone.page.screenshot({ path: shot("screenshot-bot-message-mobile.png") });
  await phone.page.emulateMedia({ colorScheme: "dark" });
  await phone.page.screenshot({ path: shot("screenshot-bot-message-mobile-dark.png") });
  await phone.page.emulateMedia({ colorScheme: "light" });
  await phone.page.getByRole("button", { name: "Webhooks" }).click();
  const phoneDialog = phone.page.getByRole("dialog", { name: `Webhooks for # ${room}` });
  await expect(phoneDialog.getByTestId("hook")).toContainText(`by ${ada.username}`);
  await phone.page.screenshot({ path: shot("screenshot-hooks-dialog-mobile.png") });
  await phone.page.emulateMedia({ colorScheme: "dark" });
  await phone.page.screenshot({ path: shot("screenshot-hooks-dialog-mobile-dark.png") });

  // revoked from the dialog, once asked: Cancel keeps it; then the URL is dead
  const question = phone.page.getByRole("dialog", { name: "Revoke the webhook “Grafana”?" });
  await phoneDialog.getByRole("button", { name: "Revoke Grafana" }).click();
  await expect(question).toContainText("Whatever posts to its URL is refused from now on. This cannot be undone.");
  await expect(question.getByRole("button", { name: "Cancel" })).toBeFocused();
  await phone.page.screenshot({ path: shot("screenshot-hook-revoke-mobile.png") });
  await question.getByRole("button", { name: "Cancel" }).click();
  await expect(question).toBeHidden();
  await expect(phoneDialog).toBeVisible(); // the list's dialog stays open under the question
  const kept = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text: "still here" }),
  });
  expect(kept.status).toBe(200);
  await phoneDialog.getByRole("button", { name: "Revoke Grafana" }).click();
  await question.getByRole("button", { name: "Revoke" }).click();
  await expect(phoneDialog.getByText("No webhooks yet.")).toBeVisible();
  await expect(question).toBeHidden();
  const dead = await fetch(url, { method: "POST", body: JSON.stringify({ text: "x" }) });
  expect(dead.status).toBe(404);
});

test("API tokens: made from the top bar, shown once, usable as Bearer, revoked", async ({
  newUser,
  request,
  serverURL,
}) => {
  const ada = await newUser("ada", DESKTOP);
  await signInViaApi(request, ada, serverURL);
  await ada.page.getByRole("button", { name: "API tokens" }).click();
  const dialog = ada.page.getByRole("dialog", { name: "API tokens" });
  await dialog.getByLabel("New token's name").fill("backup script");
  await dialog.getByRole("button", { name: "Create" }).click();
  const field = dialog.getByLabel("Token “backup script”");
  await expect(field).toHaveValue(/^cbx_pat_/);
  const token = await field.inputValue();
  await expect(dialog.getByTestId("api-token")).toContainText("backup script");
  await ada.page.screenshot({ path: shot("screenshot-tokens-dialog.png") });
  await ada.page.emulateMedia({ colorScheme: "dark" });
  await ada.page.screenshot({ path: shot("screenshot-tokens-dialog-dark.png") });

  const rooms = await request.get("/api/rooms", { headers: { Authorization: `Bearer ${token}` } });
  expect(rooms.status()).toBe(200);
  await dialog.getByRole("button", { name: "Revoke backup script" }).click();
  const question = ada.page.getByRole("dialog", { name: "Revoke the token “backup script”?" });
  // Escape answers the question only, not the tokens' dialog under it
  await ada.page.keyboard.press("Escape");
  await expect(question).toBeHidden();
  await expect(dialog).toBeVisible();
  expect((await request.get("/api/rooms", { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(200);
  await dialog.getByRole("button", { name: "Revoke backup script" }).click();
  await question.getByRole("button", { name: "Revoke" }).click();
  await expect(dialog.getByText("No tokens yet.")).toBeVisible();
  // its button gone with it, focus goes to the name field rather than the page under the dialog
  await expect(dialog.getByLabel("New token's name")).toBeFocused();
  const after = await request.get("/api/rooms", { headers: { Authorization: `Bearer ${token}` } });
  expect(after.status()).toBe(401);
});
