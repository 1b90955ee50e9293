// Mentions in the browser, across two users: the sidebar's @ badge, the highlighted row and @name chips, and
// the tab's "(N) " title with its favicon badge (unread mentions plus unread DMs).
import { connect, expect, roomJoinedInBrowser, sendMessage, test, uniqueText } from "./fixtures";

test("a mention of bob shows a mention badge in his sidebar, a highlighted row in the room, and clears", async ({
  alice,
  bob,
  socket,
  signIn,
}) => {
  const [aliceToken] = await signIn(alice, bob);
  const aliceSocket = await connect(socket({ token: aliceToken }));
  const room = await roomJoinedInBrowser(aliceSocket, bob, "mention");

  const plain = await sendMessage(aliceSocket, uniqueText("no one in particular"), { room });
  const mention = await sendMessage(aliceSocket, `@${bob.username} can you look? ${uniqueText("m")}`, { room });
  const other = await sendMessage(aliceSocket, `@${alice.username} note to self ${uniqueText("o")}`, { room });

  const link = bob.chatPage.sidebar.room(room);
  const badge = link.getByTestId("mentions");
  await expect(badge).toHaveAccessibleName("1 mention");
  await expect(badge).toHaveText("@1");
  await bob.chatPage.sidebar.expectUnread(link, 3);
  await expect(link).toHaveAttribute("data-mentions", "true");
  // general has nothing for bob
  await expect(bob.chatPage.sidebar.room("general").getByTestId("mentions")).toHaveCount(0);

  await link.click();
  await bob.chatPage.expectRoom(`# ${room}`);
  const row = bob.chatPage.messageById(mention.id);
  await expect(row).toHaveAttribute("data-mention", "true");
  await expect(row.getByTestId("mention")).toHaveText(`@${bob.username}`);
  await expect(row.getByTestId("mention")).toHaveAttribute("data-me", "true");
  // a mention of someone else is a chip, but neither the row nor the chip is bob's
  const otherRow = bob.chatPage.messageById(other.id);
  await expect(otherRow.getByTestId("mention")).toHaveText(`@${alice.username}`);
  await expect(otherRow.getByTestId("mention")).not.toHaveAttribute("data-me", "true");
  await expect(otherRow).not.toHaveAttribute("data-mention", "true");
  await expect(bob.chatPage.messageById(plain.id)).not.toHaveAttribute("data-mention", "true");

  await expect(badge).toHaveCount(0);
  await bob.chatPage.sidebar.expectUnread(link, 0);
  // read on the server too: a reload shows no badge
  await bob.page.reload();
  await bob.chatPage.expectLive();
  await expect(bob.chatPage.sidebar.room(room)).toBeVisible();
  await expect(bob.chatPage.sidebar.room(room).getByTestId("mentions")).toHaveCount(0);
});

test("@room mentions everyone: the row is highlighted for bob and the chip is his", async ({
  alice,
  bob,
  socket,
  signIn,
}) => {
  const [aliceToken] = await signIn(alice, bob);
  const aliceSocket = await connect(socket({ token: aliceToken }));
  const room = await roomJoinedInBrowser(aliceSocket, bob, "everyone");
  const all = await sendMessage(aliceSocket, `@room standup in five ${uniqueText("r")}`, { room });
  await expect(bob.chatPage.sidebar.room(room).getByTestId("mentions")).toHaveAccessibleName("1 mention");
  await bob.chatPage.sidebar.room(room).click();
  const row = bob.chatPage.messageById(all.id);
  await expect(row).toHaveAttribute("data-mention", "true");
  await expect(row.getByTestId("mention")).toHaveAttribute("data-me", "true");
});

test("the tab title counts unread mentions and DMs, with a badged favicon, and drops the count when read", async ({
  alice,
  bob,
  socket,
  signIn,
}) => {
  const [aliceToken] = await signIn(alice, bob);
  const aliceSocket = await connect(socket({ token: aliceToken }));
  const room = await roomJoinedInBrowser(aliceSocket, bob, "title");
  await expect(bob.page).toHaveTitle("# general · Chatterbox");
  const badgeIcon = bob.page.locator("link#attention-icon");
  await expect(badgeIcon).toHaveCount(0);

  // plain messages in a room call for nobody
  await sendMessage(aliceSocket, uniqueText("plain"), { room });
  await bob.chatPage.sidebar.expectUnread(bob.chatPage.sidebar.room(room), 1);
  await expect(bob.page).toHaveTitle("# general · Chatterbox");

  await sendMessage(aliceSocket, `hey @${bob.username} ${uniqueText("one")}`, { room });
  await sendMessage(aliceSocket, `and again @${bob.username} ${uniqueText("two")}`, { room });
  await sendMessage(aliceSocket, uniqueText("a direct message"), { to: bob.username });
  await expect(bob.page).toHaveTitle("(3) # general · Chatterbox");
  await expect(badgeIcon).toHaveAttribute("rel", "icon");
  await expect(badgeIcon).toHaveAttribute("href", /^data:image\/svg\+xml,/);

  // reading the room leaves the DM; the page's own title changes and keeps the prefix
  await bob.chatPage.sidebar.room(room).click();
  await bob.chatPage.expectRoom(`# ${room}`);
  await expect(bob.page).toHaveTitle(`(1) # ${room} · Chatterbox`);
  await bob.chatPage.sidebar.dm(alice.username).click();
  await expect(bob.page).toHaveTitle(`@${alice.username} · Chatterbox`);
  await expect(badgeIcon).toHaveCount(0);
});
