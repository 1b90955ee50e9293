// Rich text in the browser: what one user types as Markdown, the other sees as formatting — links with safe
// attributes, code in monospace — while raw HTML stays text, and a long code block scrolls inside its message.
import type { Locator, Page } from "@playwright/test";
import { expect, signInViaApi, test, uniqueText, type ChatUser } from "./fixtures";

/** Types `content` (newlines and all) and sends it; returns the stored message holding `marker`. */
async function sendMarkdown(user: ChatUser, content: string, marker: string): Promise<Locator> {
  await user.chatPage.composer.fill(content);
  await user.chatPage.composer.press("Enter");
  await expect(user.chatPage.composer).toHaveValue("");
  const message = user.chatPage.messageStartingWith(marker);
  await expect(message).toHaveCount(1);
  return message;
}

/** Fails the test if anything in the page opens an alert (the classic proof of injected script). */
const forbidDialogs = (page: Page) =>
  page.on("dialog", (dialog) => {
    throw new Error(`a dialog opened: ${dialog.message()}`);
  });

test("markdown sent by one user shows as bold, code and a safe link to the other; HTML stays text", async ({
  alice,
  bob,
  request,
  serverURL,
}) => {
  await signInViaApi(request, alice, serverURL);
  await signInViaApi(request, bob, serverURL);
  forbidDialogs(alice.page);
  forbidDialogs(bob.page);
  const marker = uniqueText("release");
  const html = "<img src=x onerror=alert(1)>";
  const content = `${marker} is **out** :tada: run \`npm ci\`, notes at https://example.com/notes\n\`\`\`\nnpm ci\nnpm test\n\`\`\`\n${html}`;
  await sendMarkdown(alice, content, marker);

  const seen = bob.chatPage.messageStartingWith(marker);
  await expect(seen).toHaveCount(1);
  const body = seen.locator(".body");
  await expect(body.locator("strong")).toHaveText("out");
  await expect(body.locator("p code")).toHaveText("npm ci");
  await expect(body.locator("pre code")).toHaveText("npm ci\nnpm test");
  await expect(body.locator("pre")).toHaveCSS("white-space", "pre");
  expect(await body.locator("pre code").evaluate((e) => getComputedStyle(e).fontFamily)).toMatch(/mono/i);
  await expect(body).toContainText("🎉");
  const link = body.getByRole("link", { name: "https://example.com/notes" });
  await expect(link).toHaveAttribute("href", "https://example.com/notes");
  await expect(link).toHaveAttribute("rel", "noopener noreferrer nofollow");
  await expect(link).toHaveAttribute("target", "_blank");
  // the HTML is shown as typed, and nothing of it became an element
  await expect(body.getByText(html, { exact: true })).toBeVisible();
  await expect(seen.locator("img")).toHaveCount(0);
  await expect(body.getByRole("link")).toHaveCount(1);
});

test("right-to-left text reads right to left, in the message, its reply quote and the composer", async ({
  alice,
  bob,
  request,
  serverURL,
}) => {
  await signInViaApi(request, alice, serverURL);
  await signInViaApi(request, bob, serverURL);
  const tag = uniqueText("rtl");
  const hebrew = `שלום עולם, טקסט מימין לשמאל עם מילה English בתוכו ${tag}.`;
  await alice.chatPage.composer.fill(hebrew);
  // the composer takes the direction of what is typed in it
  expect(await alice.chatPage.composer.evaluate((e) => getComputedStyle(e).direction)).toBe("rtl");
  await alice.chatPage.composer.press("Enter");
  await expect(alice.chatPage.composer).toHaveValue("");
  const left = uniqueText("left");
  await sendMarkdown(alice, `${left} to right`, left);

  const seen = bob.chatPage.messageStartingWith(tag);
  await expect(seen).toHaveCount(1);
  const direction = (l: Locator) => l.evaluate((e) => getComputedStyle(e).direction);
  expect(await direction(seen.locator(".body p"))).toBe("rtl");
  expect(await direction(bob.chatPage.messageStartingWith(left).locator(".body p"))).toBe("ltr");
  // aligned to the right: its text ends where the paragraph ends
  const ends = await seen.locator(".body p").evaluate((p) => {
    const range = document.createRange();
    range.selectNodeContents(p);
    return { text: range.getBoundingClientRect().right, paragraph: p.getBoundingClientRect().right };
  });
  expect(Math.abs(ends.text - ends.paragraph)).toBeLessThan(2);

  // a long one as a later line of alice's run: its first line starts at the right end, clear of the sent mark
  const long = uniqueText("ארוך");
  await sendMarkdown(alice, `${long} ${"שלום עולם ".repeat(40)}`, long);
  const mine = alice.chatPage.messageStartingWith(long);
  await expect(mine).toHaveAttribute("data-head", "false");
  await expect(mine.getByTestId("sent")).toBeVisible();
  const clear = await mine.evaluate((m) => {
    const sent = m.querySelector('[data-testid="sent"]')!.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(m.querySelector(".body")!);
    const level = [...range.getClientRects()].filter((r) => r.top < sent.bottom && r.bottom > sent.top);
    return { sentLeft: sent.left, textRight: Math.max(...level.map((r) => r.right)) };
  });
  expect(clear.textRight).toBeLessThanOrEqual(clear.sentLeft + 0.5);

  // a mention first does not make it read left to right
  const mentioned = uniqueText("שלום");
  await sendMarkdown(alice, `@${bob.username} ${mentioned} עולם`, mentioned);
  expect(await direction(bob.chatPage.messageStartingWith(mentioned).locator(".body p"))).toBe("rtl");

  // each paragraph takes its own direction; code stays left to right
  const mixed = uniqueText("mixed");
  await sendMarkdown(alice, `${mixed} in English first\n\nשלום עולם, פסקה בעברית\n\n\`\`\`\nשלום = 1\n\`\`\``, mixed);
  await expect(bob.chatPage.messageStartingWith(mixed)).toHaveCount(1);
  const paragraphs = bob.chatPage.messageStartingWith(mixed).locator(".body p");
  expect(await direction(paragraphs.nth(0))).toBe("ltr");
  expect(await direction(paragraphs.nth(1))).toBe("rtl");
  // code stays left to right in a message that reads right to left
  const rtlCode = uniqueText("קוד");
  await sendMarkdown(alice, `${rtlCode} שלום עולם\n\n\`\`\`\nnpm ci\n\`\`\``, rtlCode);
  await expect(bob.chatPage.messageStartingWith(rtlCode)).toHaveCount(1);
  expect(await direction(bob.chatPage.messageStartingWith(rtlCode).locator(".body p"))).toBe("rtl");
  expect(await direction(bob.chatPage.messageStartingWith(rtlCode).locator(".body pre"))).toBe("ltr");

  const answer = `תשובה ${uniqueText("")}`;
  await bob.chatPage.messageAction(seen, "Reply");
  await bob.chatPage.send(answer);
  const quote = bob.chatPage.messageStartingWith(answer).getByTestId("reply-quote").locator(".reply-text");
  expect(await direction(quote)).toBe("rtl");
});

const SIZES = {
  desktop: { viewport: { width: 1440, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
} as const;

for (const [size, options] of Object.entries(SIZES)) {
  test(`a long code block scrolls inside its message and never widens the page (${size}, light and dark)`, async ({
    newUser,
    request,
    serverURL,
  }) => {
    const user = await newUser("code", options);
    await signInViaApi(request, user, serverURL);
    const marker = uniqueText("stack trace");
    const long = `2026-12-02T13:45:55.123Z ERROR worker-7 ${"com.example.chat.gateway.Handler.deliver(Handler.java:42) ".repeat(4)}`;
    const message = await sendMarkdown(user, `${marker}:\n\`\`\`\n${long}\n  at next line\n\`\`\``, marker);
    const pre = message.locator("pre");
    await expect(pre).toBeVisible();
    for (const colorScheme of ["light", "dark"] as const) {
      await user.page.emulateMedia({ colorScheme });
      // the block's own scrollbar takes the overflow; the document does not
      expect(await pre.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);
      const page = await user.page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        width: document.documentElement.clientWidth,
      }));
      expect(page.scroll).toBeLessThanOrEqual(page.width);
      const box = await message.boundingBox();
      expect(box && box.x + box.width).toBeLessThanOrEqual(page.width);
      await user.page.screenshot({ path: `test-results/screenshots/markdown-code-${size}-${colorScheme}.png` });
    }
  });
}
