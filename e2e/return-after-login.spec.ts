// A link into the chat opened without a session (a notification, a copied message link, a bookmark) goes to
// /login and, once logged in, on to where it pointed, the message's #m<id> included; never to another site.
import { apiLogin, apiRegister, createRoom, connect, expect, sendMessages, test, uniqueText } from "./fixtures";

test("a message link opened logged out leads to the message once logged in", async ({ alice, request, socket }) => {
  await apiRegister(request, alice.username);
  const s = await connect(socket({ token: await apiLogin(request, alice.username) }));
  const room = `back-${Date.now().toString(36)}`;
  await createRoom(s, room);
  const mark = uniqueText("linked");
  const [target] = await sendMessages(s, [mark, ...Array.from({ length: 60 }, (_, i) => `later ${i}`)], { room });

  await alice.page.goto(`/r/${room}#m${target!.id}`);
  await expect(alice.page).toHaveURL(new RegExp(`/login\\?next=%2Fr%2F${room}#m${target!.id}$`));
  await alice.loginPage.waitForHydration();
  await alice.loginPage.fill(alice.username, alice.password);
  await alice.loginPage.submitLogin.click();
  await expect(alice.page).toHaveURL(new RegExp(`/r/${room}#m${target!.id}$`));
  await expect(alice.chatPage.messageById(target!.id)).toBeInViewport();
});

test("logged out, /settings comes back to /settings; a next= to another site goes to the chat", async ({
  bob,
  request,
}) => {
  await apiRegister(request, bob.username);
  await bob.page.goto("/settings");
  await expect(bob.page).toHaveURL(/\/login\?next=%2Fsettings$/);
  await bob.loginPage.waitForHydration();
  await bob.loginPage.fill(bob.username, bob.password);
  await bob.loginPage.submitLogin.click();
  await expect(bob.page).toHaveURL(/\/settings$/);

  // logged in, /login?next= goes straight on; to another site it does not
  await bob.page.goto("/login?next=%2F%2Fevil.example%2Fx");
  await expect(bob.page).toHaveURL(/127\.0\.0\.1:\d+\/$/);
  await bob.page.goto("/login?next=%2Fsettings");
  await expect(bob.page).toHaveURL(/\/settings$/);
});
