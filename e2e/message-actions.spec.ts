// Messages people can work with (SPEC "Message actions"), in the browser: two users in separate contexts;
// edits, deletions and reactions seen live by the other; replies, and the jump to a parent far back.
import type { Locator, Page } from "@playwright/test";
import { LONG_PRESS_MS } from "../hooks/useMessagePress";
import type { Ack, Message } from "../lib/protocol";
import {
  connect,
  expect,
  sendMessage,
  sendMessages,
  test,
  uniqueText,
  type ChatClient,
  type ChatUser,
} from "./fixtures";

test.describe("message actions", () => {
  let alice: ChatUser;
  let bob: ChatUser;
  let aliceToken: string;

  test.beforeEach(async ({ alice: a, bob: b, signIn }) => {
    alice = a;
    bob = b;
    [aliceToken] = await signIn(alice, bob);
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

    await bob.chatPage.recordFlashes();
    await replyItem.getByTestId("reply-quote").click();
    const parentItem = bob.chatPage.messageById(parent.id);
    await expect(parentItem).toBeInViewport();
    await bob.chatPage.expectFlashed(parent.id);
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

    await bob.chatPage.recordFlashes();
    await bob.page.goto(link);
    await bob.chatPage.expectLive();
    await expect(bob.chatPage.messageById(id)).toBeInViewport();
    await bob.chatPage.expectFlashed(id);
  });

  test("on a phone the bar shows after a tap and stays inside the screen", async ({ newUser, signIn }) => {
    const phone = await newUser("phone", { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    await signIn(phone);
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

test.describe("message actions by touch and keyboard", () => {
  test("on a phone a long press opens a message's actions, the lift keeps them; a scroll in between does not", async ({
    newUser,
    socket,
    signIn,
  }) => {
    test.setTimeout(90_000); // many steps, each a round trip to a browser on a shared machine
    const phone = await newUser("phone", { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    // the page's clock is ours: a press lasts exactly as long as the test says, however busy the machine
    await phone.page.clock.install();
    const [token] = await signIn(phone);
    await phone.context.grantPermissions(["clipboard-read", "clipboard-write"]);
    // enough above it that the list scrolls
    await sendMessages(
      await connect(socket({ token })),
      Array.from({ length: 20 }, (_, i) => `scroll filler ${i}`),
    );
    const text = uniqueText("hold me");
    const message = await phone.chatPage.send(text);
    const id = Number(await message.getAttribute("data-id"));
    const bar = message.getByRole("toolbar", { name: "Message actions" });
    const finger = await fingerOn(phone.page);
    const pause = async () => phone.page.clock.pauseAt((await phone.page.evaluate(() => Date.now())) + 1_000);

    // press and hold: shown as pressed; the actions open after LONG_PRESS_MS, the finger still down
    await pause();
    await finger.down(message.locator(".body"));
    await expect(message).toHaveAttribute("data-pressing", "true");
    await phone.page.clock.runFor(LONG_PRESS_MS - 100);
    await expect(message).toHaveAttribute("data-pressing", "true");
    await expect(message).not.toHaveAttribute("data-active", "true");
    await phone.page.clock.runFor(200);
    await expect(message).toHaveAttribute("data-active", "true");
    await expect(message).not.toHaveAttribute("data-pressing", "true");
    await expect(bar).toHaveCSS("opacity", "1");
    // lifting the finger is not a tap that would close them again: the buttons take taps
    await finger.up();
    await phone.page.clock.resume();
    await expect(message).toHaveAttribute("data-active", "true");
    for (const label of ["Add reaction", "Reply", "Edit", "Delete", "Copy link"]) {
      await expect(bar.getByRole("button", { name: label })).toBeVisible();
    }
    await bar.getByRole("button", { name: "Copy text" }).tap();
    await expect(message.getByRole("status")).toHaveText("Text copied");
    expect(await phone.page.evaluate(() => navigator.clipboard.readText())).toBe(text);
    await bar.getByRole("button", { name: "Copy link" }).tap();
    await expect(message.getByRole("status")).toHaveText("Link copied");
    const link = new URL(await phone.page.evaluate(() => navigator.clipboard.readText()));
    expect(link.pathname + link.hash).toBe(`/r/general#m${id}`);
    const box = await bar.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);

    // a press that turns into a scroll is cancelled, its timer with it: that message's actions stay shut
    const other = phone.chatPage.message("scroll filler 15");
    await pause();
    await finger.down(other.locator(".body"));
    await expect(other).toHaveAttribute("data-pressing", "true");
    await finger.moveBy(0, 120);
    await expect(other).not.toHaveAttribute("data-pressing", "true");
    await phone.page.clock.runFor(LONG_PRESS_MS * 2);
    await finger.up();
    await expect(other).not.toHaveAttribute("data-active", "true");
    await expect(message).toHaveAttribute("data-active", "true");
    await phone.page.clock.resume();

    // and the reply action works from there
    await bar.getByRole("button", { name: "Reply" }).tap();
    await expect(phone.chatPage.composerBar).toContainText(`Replying to ${phone.username}`);
  });

  test("Tab reaches a message's actions: the bar shows while focus is in it and its buttons work", async ({
    alice,
    signIn,
  }) => {
    await signIn(alice);
    await alice.context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const text = uniqueText("reach me by keyboard");
    const message = await alice.chatPage.send(text);
    const bar = message.getByRole("toolbar", { name: "Message actions" });
    await expect(bar).toHaveCSS("opacity", "0");

    // back from the composer (past its attach button): the newest message's last action first
    await alice.page.getByRole("button", { name: "Attach files" }).focus();
    await alice.page.keyboard.press("Shift+Tab");
    await expect(bar.getByRole("button", { name: "Copy text" })).toBeFocused();
    await expect(bar).toHaveCSS("opacity", "1");
    await alice.page.keyboard.press("Enter");
    await expect(message.getByRole("status")).toHaveText("Text copied");
    expect(await alice.page.evaluate(() => navigator.clipboard.readText())).toBe(text);

    // on through the bar to Reply, which takes the keyboard to the composer
    const reply = bar.getByRole("button", { name: "Reply" });
    for (let i = 0; i < 6 && !(await reply.evaluate((el) => el === document.activeElement)); i++) {
      await alice.page.keyboard.press("Shift+Tab");
      await expect(bar).toHaveCSS("opacity", "1");
    }
    await expect(reply).toBeFocused();
    await alice.page.keyboard.press("Enter");
    await expect(alice.chatPage.composerBar).toContainText(`Replying to ${alice.username}`);
    await expect(alice.chatPage.composer).toBeFocused();
    // focus gone from the message: its bar hides again
    await expect(bar).toHaveCSS("opacity", "0");
  });
});

/** One finger on a touch screen, through the browser's own input pipeline (CDP), pressed as long as wanted. */
async function fingerOn(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  let at = { x: 0, y: 0 };
  const touch = (type: "touchStart" | "touchMove" | "touchEnd") =>
    cdp.send("Input.dispatchTouchEvent", { type, touchPoints: type === "touchEnd" ? [] : [at] });
  return {
    async down(target: Locator) {
      const box = await target.boundingBox();
      if (!box) throw new Error("nothing to press on");
      at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      await touch("touchStart");
    },
    async moveBy(dx: number, dy: number) {
      // in steps, as a finger moves
      for (let i = 1; i <= 6; i++) {
        at = { x: at.x + dx / 6, y: at.y + dy / 6 };
        await touch("touchMove");
      }
    },
    up: () => touch("touchEnd"),
  };
}

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
