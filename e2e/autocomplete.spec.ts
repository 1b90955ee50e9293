// `@` and `#` completion in the composer: a listbox of the room's members (and rooms), driven by the
// keyboard (↑ ↓, Enter or Tab to insert, Escape to close) or the mouse, with combobox/listbox roles.
import { connect, createRoom, expect, joinRoom, test, uniqueRoom } from "./fixtures";

test("@ offers the room's members and # the user's rooms; keys choose, Escape closes", async ({
  alice,
  bob,
  socket,
  signIn,
}) => {
  const [aliceToken, bobToken] = await signIn(alice, bob);
  const room = uniqueRoom("complete");
  await createRoom(await connect(socket({ token: aliceToken })), room);
  await joinRoom(await connect(socket({ token: bobToken })), room);
  await alice.chatPage.gotoRoom(room);
  await alice.chatPage.expectRoom(`# ${room}`);

  const box = alice.chatPage.composer;
  const list = alice.page.getByRole("listbox", { name: "People" });
  await expect(box).toHaveAttribute("role", "combobox");
  await expect(box).toHaveAttribute("aria-expanded", "false");

  await box.click();
  await box.pressSequentially(`hi @${bob.username.slice(0, 4)}`);
  await expect(list).toBeVisible();
  await expect(box).toHaveAttribute("aria-expanded", "true");
  const options = list.getByRole("option");
  // bob (not alice herself), then nothing else matching "bob_"
  await expect(options).toHaveText([`@${bob.username}`]);
  await expect(options.first()).toHaveAttribute("aria-selected", "true");
  await expect(box).toHaveAttribute("aria-activedescendant", (await options.first().getAttribute("id")) ?? "");
  await box.press("Enter");
  await expect(list).toBeHidden();
  await expect(box).toHaveValue(`hi @${bob.username} `);

  // an empty query lists everyone in order, then @here and @room; ↓ moves, Tab inserts
  await box.pressSequentially("and @");
  await expect(options).toHaveText([`@${bob.username}`, "@here", "@room"]);
  await box.press("ArrowDown");
  await expect(options.nth(1)).toHaveAttribute("aria-selected", "true");
  await box.press("ArrowUp");
  await box.press("ArrowUp");
  await expect(options.nth(2)).toHaveAttribute("aria-selected", "true");
  await box.press("Tab");
  await expect(box).toHaveValue(`hi @${bob.username} and @room `);
  await expect(box).toBeFocused();

  // Escape closes the list and leaves the text; Enter then sends as usual
  await box.pressSequentially("@he");
  await expect(options).toHaveText(["@here"]);
  await box.press("Escape");
  await expect(list).toBeHidden();
  await expect(box).toHaveValue(`hi @${bob.username} and @room @he`);

  // # lists rooms; a click inserts too
  await box.pressSequentially(" see #");
  const rooms = alice.page.getByRole("listbox", { name: "Rooms" });
  await box.pressSequentially(room.slice(0, 6));
  await rooms.getByRole("option", { name: room }).click();
  await expect(box).toHaveValue(`hi @${bob.username} and @room @he see #${room} `);

  await box.press("Enter");
  await expect(box).toHaveValue("");
  const sent = alice.chatPage.messageStartingWith(`hi @${bob.username} and @room`);
  await expect(sent.getByTestId("mention").first()).toHaveText(`@${bob.username}`);
});
