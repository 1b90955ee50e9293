// The small things a new user trips over: a DM to nobody, presence while reconnecting, a DM partner listed
// twice, the private-room icon, a bare 404, a faint dialog backdrop in dark mode, low-contrast timestamps.
import type { WebSocketRoute } from "@playwright/test";
import { contrastRatio } from "../lib/web/contrast";
import { connect, createRoom, expect, sendMessage, signInViaApi, test } from "./fixtures";
import { colours, parseColour, toHex } from "./pages/layout";

test("/dm/<nosuchuser> says there is no such user, with no composer", async ({ alice, request, serverURL }) => {
  await signInViaApi(request, alice, serverURL);
  await alice.page.goto("/dm/nobody_by_this_name");
  await expect(alice.page.getByTestId("no-such-user")).toContainText("There is no user named nobody_by_this_name");
  await expect(alice.chatPage.composer).toHaveCount(0);
  await alice.page.getByRole("link", { name: "Back to # general" }).click();
  await alice.chatPage.expectRoom("# general");
  await expect(alice.chatPage.composer).toBeVisible();
});

test("a DM partner is listed under Direct messages, not again under People", async ({
  alice,
  bob,
  request,
  serverURL,
  socket,
}) => {
  await signInViaApi(request, alice, serverURL);
  const bobToken = await signInViaApi(request, bob, serverURL);
  const { sidebar } = alice.chatPage;
  await expect(sidebar.person(bob.username)).toBeVisible();
  await sendMessage(await connect(socket({ token: bobToken })), "hi there", { to: alice.username });
  await expect(sidebar.dm(bob.username)).toBeVisible();
  await sidebar.expectPresence(sidebar.dm(bob.username), true);
  await expect(sidebar.person(bob.username)).toHaveCount(0);
});

test("while reconnecting nobody is shown online; presence returns with the connection", async ({
  alice,
  bob,
  request,
  serverURL,
}) => {
  // alice's socket runs through a route the test can cut
  const live = new Set<WebSocketRoute>();
  let cut = false;
  await alice.page.routeWebSocket(/\/socket\.io\//, (ws) => {
    if (cut) return; // never answered: the client keeps trying
    live.add(ws);
    ws.connectToServer();
  });
  await signInViaApi(request, alice, serverURL);
  await signInViaApi(request, bob, serverURL);
  const { sidebar } = alice.chatPage;
  await sidebar.expectPresence(sidebar.person(bob.username), true);
  const search = alice.page.getByRole("search");
  const searchWhileLive = await search.boundingBox();

  cut = true;
  for (const ws of live) await ws.close();
  live.clear();
  await expect(alice.chatPage.connectionState).toHaveAttribute("data-state", "reconnecting");
  await expect(alice.chatPage.connectionState).toHaveText("Reconnecting…");
  // the status keeps its widest label's room: the search box beside it does not move (it moved 78 px)
  expect(await search.boundingBox()).toEqual(searchWhileLive);
  const dot = sidebar.person(bob.username).locator(".presence");
  await expect(dot).toHaveAttribute("data-online", "unknown");
  await expect(dot).toHaveAttribute("title", "status unknown while reconnecting");

  cut = false;
  await alice.chatPage.expectLive();
  await sidebar.expectPresence(sidebar.person(bob.username), true);
});

test("a private room is marked by an SVG lock, not an emoji", async ({ alice, request, serverURL, socket }) => {
  const token = await signInViaApi(request, alice, serverURL);
  const room = `secret-${Date.now().toString(36)}`;
  await createRoom(await connect(socket({ token })), room, true);
  const link = alice.chatPage.sidebar.room(room);
  await expect(link.locator(".glyph svg")).toHaveCount(1);
  await expect(link).not.toContainText("🔒");
  await expect(link).toContainText("(private)");
});

test("an unknown URL gets the app's own 404 page with a way back", async ({ page }) => {
  const res = await page.goto("/no/such/page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Back to the chat" }).click();
  await expect(page).toHaveURL(/\/login$/);
});

test("the dialog backdrop is clearly visible in dark mode", async ({ newUser, request, serverURL }) => {
  const ada = await newUser("ada", { colorScheme: "dark" });
  await signInViaApi(request, ada, serverURL);
  await ada.chatPage.sidebar.createRoomButton.click();
  await expect(ada.chatPage.sidebar.dialog).toBeVisible();
  const backdrop = await ada.page.evaluate(
    () => getComputedStyle(document.querySelector("dialog[open]")!, "::backdrop").backgroundColor,
  );
  const [, , , alpha] = parseColour(backdrop);
  expect(alpha).toBeGreaterThanOrEqual(0.6);
});

for (const colorScheme of ["light", "dark"] as const) {
  test(`own messages' times and names pass 4.5:1 contrast (${colorScheme})`, async ({
    newUser,
    request,
    serverURL,
  }) => {
    const ada = await newUser("ada", { colorScheme });
    await signInViaApi(request, ada, serverURL);
    const message = await ada.chatPage.send(`contrast check ${colorScheme}`);
    for (const part of [message.locator("time"), message.locator(".author"), message.getByTestId("sent")]) {
      for (const hovered of [false, true]) {
        if (hovered) await message.hover();
        else await ada.page.mouse.move(0, 0);
        const { color, background } = await colours(part);
        const ratio = contrastRatio(toHex(parseColour(color)), toHex(parseColour(background)));
        expect(ratio, `${color} on ${background}`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });
}
