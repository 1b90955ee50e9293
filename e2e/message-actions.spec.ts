// Messages people can work with (SPEC "Message actions"), in the browser: two users in separate contexts;
// edits, deletions and reactions seen live by the other; replies, and the jump to a parent far back.
import type { Page } from "@playwright/test";
import type { Ack, Message } from "../lib/protocol";
import {
  connect,
  expect,
  sendMessage,
  sendMessages,
  signInViaApi,
  test,
  uniqueText,
  type ChatClient,
  type ChatUser,
} from "./fixtures";

test.describe("message actions", () => {
  let alice: ChatUser;
  let bob: ChatUser;
  let aliceToken: string;

  test.beforeEach(async ({ alice: a, bob: b, request, serverURL }) => {
    alice = a;
    bob = b;
    aliceToken = await signInViaApi(request, alice, serverURL);
    await signInViaApi(request, bob, serverURL);
  });

  test("↑ edits the last own message: Enter saves, the other sees it live, marked (edited); Escape cancels", async () => {
    const older = await alice.chatPage.send(uniqueText("older line"));
    const text = uniqueText("frist draft");
    await alice.chatPage.send(text);
    await bob.chatPage.expectMessage(text, { author: alice.username, own: false });

    // ↑ in the empty composer takes up the last own message
    await alice.chatPage.composer.press("ArrowUp");
    await expect(alice.chatPage.composerBar).toContainText("Editing message — Esc to cancel");
    await expect(alice.chatPage.composer).toHaveValue(text);
    // Escape leaves it as it was, and the box empty
    await alice.chatPage.composer.press("Escape");
    await expect(alice.chatPage.composerBar).toBeHidden();
    await expect(alice.chatPage.composer).toHaveValue("");

    await alice.chatPage.composer.press("ArrowUp");
    const fixed = text.replace("frist", "first");
    await alice.chatPage.composer.fill(fixed);
    await alice.chatPage.composer.press("Enter");
    await expect(alice.chatPage.composerBar).toBeHidden();
    for (const user of [alice, bob]) {
      const message = user.chatPage.messageStartingWith(fixed);
      await expect(message).toHaveCount(1);
      await expect(message.getByTestId("edited")).toHaveText("(edited)");
      await expect(message.getByTestId("edited")).toHaveAttribute("title", /^Edited /);
      await expect(user.chatPage.messageStartingWith(text)).toHaveCount(0);
    }
    // the older message was not touched, and only the author is offered Edit
    await expect(older.getByTestId("edited")).toHaveCount(0);
    const onBob = bob.chatPage.messageStartingWith(fixed);
    await onBob.hover();
    await expect(onBob.getByRole("button", { name: "Edit" })).toHaveCount(0);
    await expect(onBob.getByRole("button", { name: "Reply" })).toBeVisible();
  });

  test("the action bar's Edit opens the same editing mode", async () => {
    const text = uniqueText("edit me from the bar");
    const message = await alice.chatPage.send(text);
    await alice.chatPage.messageAction(message, "Edit");
    await expect(alice.chatPage.composerBar).toContainText("Editing message");
    await expect(alice.chatPage.composer).toBeFocused();
    await alice.chatPage.composer.fill(`${text} (better)`);
    await alice.chatPage.page.getByRole("button", { name: "Save" }).click();
    await expect(bob.chatPage.messageStartingWith(`${text} (better)`)).toHaveCount(1);
  });

  test("delete asks first; then both see 'message deleted' with no actions", async () => {
    const text = uniqueText("regrettable");
    const message = await alice.chatPage.send(text);
    await bob.chatPage.expectMessage(text, { author: alice.username, own: false });
    const id = Number(await message.getAttribute("data-id"));

    await alice.chatPage.messageAction(message, "Delete");
    const dialog = alice.page.getByRole("dialog", { name: "Delete message?" });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    await expect(alice.chatPage.message(text)).toHaveCount(1);

    await alice.chatPage.messageAction(message, "Delete");
    await dialog.getByRole("button", { name: "Delete" }).click();
    await expect(dialog).toBeHidden();
    for (const user of [alice, bob]) {
      const gone = user.chatPage.messageById(id);
      await expect(gone).toHaveAttribute("data-deleted", "true");
      await expect(gone.locator(".body")).toHaveText("message deleted");
      await expect(user.chatPage.message(text)).toHaveCount(0);
      await gone.hover();
      await expect(gone.getByRole("toolbar")).toHaveCount(0);
      await expect(gone.getByTestId("reactions")).toHaveCount(0);
    }
  });

  test("reactions: picked from the picker, counted with names, toggled by their chip, live both ways", async () => {
    const text = uniqueText("ship it?");
    await alice.chatPage.send(text);
    const onBob = bob.chatPage.message(text);
    await expect(onBob).toHaveCount(1);
    const onAlice = alice.chatPage.message(text);

    // the picker closes on Escape without reacting
    await bob.chatPage.messageAction(onBob, "Add reaction");
    await expect(bob.chatPage.emojiPicker).toBeVisible();
    await bob.page.keyboard.press("Escape");
    await expect(bob.chatPage.emojiPicker).toBeHidden();
    await expect(onBob.getByTestId("reactions")).toHaveCount(0);

    await bob.chatPage.react(onBob, "party", "party");
    await expect(bob.chatPage.reaction(onBob, "🎉")).toHaveAttribute("aria-pressed", "true");
    await expect(bob.chatPage.reaction(onBob, "🎉")).toContainText("1");
    const chip = alice.chatPage.reaction(onAlice, "🎉");
    await expect(chip).toContainText("1");
    await expect(chip).toHaveAttribute("aria-pressed", "false");
    await expect(chip).toHaveAttribute("title", new RegExp(`^${bob.username} reacted with party`));

    // alice adds hers by clicking the chip: two, both named
    await chip.click();
    await expect(chip).toContainText("2");
    await expect(chip).toHaveAttribute("aria-pressed", "true");
    await expect(bob.chatPage.reaction(onBob, "🎉")).toContainText("2");
    await expect(bob.chatPage.reaction(onBob, "🎉")).toHaveAttribute("title", new RegExp(alice.username));

    // the quick reactions lead the picker
    await alice.chatPage.messageAction(onAlice, "Add reaction");
    await alice.chatPage.emojiPicker
      .getByRole("group", { name: "Quick reactions" })
      .getByRole("button")
      .first()
      .click();
    await expect(alice.chatPage.reaction(onAlice, "👍")).toHaveAttribute("aria-pressed", "true");

    // bob takes his back: one left, not his
    await bob.chatPage.reaction(onBob, "🎉").click();
    await expect(bob.chatPage.reaction(onBob, "🎉")).toHaveAttribute("aria-pressed", "false");
    await expect(chip).toContainText("1");
    await expect(chip).not.toHaveAttribute("title", new RegExp(bob.username));
  });

  test("reply: the bar names the parent, the reply quotes it, both see it live", async () => {
    const parent = uniqueText("Where shall we meet?\nsecond line");
    await alice.chatPage.composer.fill(parent);
    await alice.chatPage.composer.press("Enter");
    const onBob = bob.chatPage.messageStartingWith("Where shall we meet?");
    await expect(onBob).toHaveCount(1);

    await bob.chatPage.messageAction(onBob, "Reply");
    await expect(bob.chatPage.composerBar).toContainText(`Replying to ${alice.username}: ${parent.split("\n")[0]}`);
    await expect(bob.chatPage.composer).toBeFocused();
    const answer = uniqueText("At the station");
    await bob.chatPage.send(answer);
    await expect(bob.chatPage.composerBar).toBeHidden();
    for (const user of [alice, bob]) {
      const quote = user.chatPage.message(answer).getByTestId("reply-quote");
      await expect(quote).toContainText(alice.username);
      await expect(quote).toContainText(parent.split("\n")[0] ?? "");
      await expect(quote).not.toContainText("second line");
    }
    // the reply mode's cancel button leaves it
    await bob.chatPage.messageAction(onBob, "Reply");
    await bob.chatPage.page.getByRole("button", { name: "Cancel reply" }).click();
    await expect(bob.chatPage.composerBar).toBeHidden();
  });

  test("a reply's quote jumps to its parent far back, loading it; scrolling down reaches the live end", async ({
    socket,
  }) => {
    test.setTimeout(60_000);
    const s = await connect(socket({ token: aliceToken }));
    const parent = await sendMessage(s, uniqueText("the parent, far back"));
    await sendMessages(
      s,
      Array.from({ length: 120 }, (_, i) => `filler ${i}`),
    );
    const reply = await sendReply(s, uniqueText("answering the parent"), parent.id);
    await bob.page.reload();
    await bob.chatPage.expectLive();
    const replyItem = bob.chatPage.messageById(reply.id);
    await expect(replyItem).toBeVisible();
    await expect(bob.chatPage.messageById(parent.id)).toHaveCount(0);

    await replyItem.getByTestId("reply-quote").click();
    const parentItem = bob.chatPage.messageById(parent.id);
    await expect(parentItem).toBeInViewport();
    await expect(parentItem).toHaveAttribute("data-flash", "true");
    // the window around the parent (newer pages may already be loading below it): never a gap or a jumble
    await expectIdsAscending(bob.page);
    await expectNoGapFrom(bob.page, parent.id);
    await expect(bob.chatPage.jumpToLatest).toBeVisible();

    // a live message meanwhile is never shown after a gap; it is there once the live end is reached
    const live = await sendMessage(s, uniqueText("live while reading far back"));
    await expectIdsAscending(bob.page);
    await bob.chatPage.jumpToLatest.click();
    await expect(bob.chatPage.messageById(live.id)).toBeVisible();
    await expect(bob.chatPage.messageById(reply.id)).toHaveCount(1);
    await expectIdsAscending(bob.page);

    // scrolling down from the parent loads newer pages until the live end
    await bob.chatPage.messageById(reply.id).getByTestId("reply-quote").click();
    await expect(bob.chatPage.messageById(parent.id)).toBeInViewport();
    await expect(async () => {
      await bob.chatPage.messages.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      await expect(bob.chatPage.messageById(live.id)).toHaveCount(1, { timeout: 500 });
    }).toPass({ timeout: 20_000 });
    await expect(bob.page.getByTestId("newer-edge")).toHaveCount(0);
    await expectIdsAscending(bob.page);
  });

  test("copy link puts the message's address on the clipboard; opening it shows the message", async () => {
    const text = uniqueText("link to me");
    const message = await alice.chatPage.send(text);
    const id = Number(await message.getAttribute("data-id"));
    await alice.context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await alice.chatPage.messageAction(message, "Copy link");
    await expect(message.getByRole("status")).toHaveText("Link copied");
    const link = await alice.page.evaluate(() => navigator.clipboard.readText());
    expect(new URL(link).pathname + new URL(link).hash).toBe(`/r/general#m${id}`);

    await bob.page.goto(link);
    await bob.chatPage.expectLive();
    await expect(bob.chatPage.messageById(id)).toBeInViewport();
    await expect(bob.chatPage.messageById(id)).toHaveAttribute("data-flash", "true");
  });

  test("on a phone the bar shows after a tap and stays inside the screen", async ({ newUser, request, serverURL }) => {
    const phone = await newUser("phone", { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    await signInViaApi(request, phone, serverURL);
    const text = uniqueText("tap me");
    const message = await phone.chatPage.send(text);
    await message.locator(".body").tap();
    const bar = message.getByRole("toolbar", { name: "Message actions" });
    await expect(bar).toBeVisible();
    const box = await bar.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    // the document itself never scrolls: only the list does
    const scrolls = await phone.page.evaluate(() => document.scrollingElement!.scrollHeight > window.innerHeight);
    expect(scrolls).toBe(false);
  });
});

async function sendReply(s: ChatClient, content: string, replyTo: number): Promise<Message> {
  const ack = (await s.timeout(5_000).emitWithAck("message:send", { content, replyTo })) as Ack<{ message: Message }>;
  if (!ack.ok) throw new Error(`reply refused: ${ack.error.code}: ${ack.error.detail}`);
  return ack.message;
}

/** The messages shown from `id` on are one unbroken run of ids (this test's own, sent back to back). */
async function expectNoGapFrom(page: Page, id: number): Promise<void> {
  const ids = await page
    .getByTestId("message")
    .evaluateAll((items) => items.map((item) => Number(item.getAttribute("data-id"))));
  const run = ids.filter((n) => n >= id);
  expect(run).toEqual(run.map((_, i) => id + i));
}

async function expectIdsAscending(page: Page): Promise<void> {
  const ids = await page
    .getByTestId("message")
    .evaluateAll((items) => items.map((item) => Number(item.getAttribute("data-id"))));
  expect(ids).toEqual([...ids].sort((a, b) => a - b));
}
