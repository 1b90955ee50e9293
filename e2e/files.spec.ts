// Sharing files in the browser (SPEC.md "Files"), two people in separate contexts: upload by the paperclip,
// by dropping onto the conversation and by pasting an image; the other sees the image inline and the file as a
// card; the lightbox opens full size and Escape closes it; a refused file says why. Then screenshots of a
// message with an image and a file card, desktop and phone, light and dark.
import { fileURLToPath } from "node:url";
import type { Locator, Page } from "@playwright/test";
import sharp from "sharp";
import { SESSION_COOKIE } from "../lib/protocol";
import { streamUpload } from "../test/helpers/uploads";
import { apiLogin, expect, signInViaApi, test, uniqueText, uniqueUsername, type ChatUser } from "./fixtures";

const pngBytes = async (width: number, height: number, colour: string) =>
  sharp({ create: { width, height, channels: 3, background: colour } })
    .png()
    .toBuffer();

/** A picture with something in it, so the screenshots show a real-looking image. */
const chartPng = async () => {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="400">
    <rect width="640" height="400" fill="#f1f3f9"/>
    ${[120, 210, 160, 280, 240, 330]
      .map((h, i) => `<rect x="${60 + i * 95}" y="${360 - h}" width="60" height="${h}" rx="6" fill="#4c6ef5"/>`)
      .join("")}
    <line x1="40" y1="360" x2="610" y2="360" stroke="#667085" stroke-width="3"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
};

/** Drops files onto `target` the way a browser does: dragenter, dragover, drop with a DataTransfer. */
async function dropFiles(page: Page, target: Locator, files: { name: string; type: string; base64: string }[]) {
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], f.name, { type: f.type }));
    }
    return dt;
  }, files);
  await target.dispatchEvent("dragenter", { dataTransfer });
  await target.dispatchEvent("dragover", { dataTransfer });
  await target.dispatchEvent("drop", { dataTransfer });
}

/** Pastes an image into the composer, as a screenshot tool's clipboard would. */
async function pasteImage(page: Page, composer: Locator, name: string, base64: string) {
  await composer.evaluate(
    (el, file) => {
      const dt = new DataTransfer();
      const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], file.name, { type: "image/png" }));
      el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
    },
    { name, base64 },
  );
}

const attachments = (user: ChatUser) => user.page.getByTestId("attachment");

/** Waits until every chosen file has finished uploading. */
async function expectUploaded(user: ChatUser, count: number) {
  await expect(attachments(user)).toHaveCount(count);
  await expect(attachments(user).and(user.page.locator('[data-state="done"]'))).toHaveCount(count);
}

async function sendWith(user: ChatUser, caption: string) {
  await user.chatPage.composer.fill(caption);
  await user.chatPage.composer.press("Enter");
  await expect(user.chatPage.composer).toHaveValue("");
  await expect(attachments(user)).toHaveCount(0);
  await expect(user.chatPage.outgoing).toHaveCount(0);
}

test.describe("files", () => {
  let alice: ChatUser;
  let bob: ChatUser;

  test.beforeEach(async ({ alice: a, bob: b, request, serverURL }) => {
    alice = a;
    bob = b;
    await signInViaApi(request, alice, serverURL);
    await signInViaApi(request, bob, serverURL);
  });

  test("the paperclip uploads an image and a file; the other sees them; the lightbox opens and Escape closes it", async () => {
    const chooser = alice.page.waitForEvent("filechooser");
    await alice.page.getByRole("button", { name: "Attach files" }).click();
    await (
      await chooser
    ).setFiles([
      { name: "chart.png", mimeType: "image/png", buffer: await pngBytes(320, 200, "#4c6ef5") },
      { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("release notes\n") },
    ]);
    await expectUploaded(alice, 2);
    const caption = uniqueText("here are the files");
    await sendWith(alice, caption);

    const message = bob.chatPage.messageStartingWith(caption);
    await expect(message).toHaveCount(1);
    const image = message.getByTestId("message-image");
    await expect(image.locator("img")).toHaveAttribute("alt", "chart.png");
    await expect.poll(() => image.locator("img").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(320);
    const card = message.getByTestId("file-card");
    await expect(card).toContainText("notes.txt");
    await expect(card).toContainText("14 B");

    await image.click();
    const lightbox = bob.page.getByTestId("lightbox");
    await expect(lightbox).toBeVisible();
    await expect(lightbox.locator("img")).toHaveAttribute("src", /^\/api\/files\/[\w-]+$/);
    await expect(lightbox.getByRole("button", { name: /Close/ })).toBeFocused();
    // focus stays inside: Tab cycles through the dialog's own controls
    await bob.page.keyboard.press("Tab");
    await expect(lightbox.getByRole("link", { name: "Download" })).toBeFocused();
    await bob.page.keyboard.press("Tab");
    await expect(lightbox.getByRole("button", { name: /Close/ })).toBeFocused();
    await bob.page.keyboard.press("Shift+Tab");
    await expect(lightbox.getByRole("link", { name: "Download" })).toBeFocused();
    await bob.page.keyboard.press("Escape");
    await expect(lightbox).toHaveCount(0);
    await expect(image).toBeFocused();
  });

  test("files dropped on the conversation and an image pasted into the composer go with the message", async () => {
    const dot = (await pngBytes(40, 40, "#e8590c")).toString("base64");
    await dropFiles(alice.page, alice.page.locator(".room-pane"), [
      { name: "dropped.png", type: "image/png", base64: dot },
      { name: "log.txt", type: "text/plain", base64: Buffer.from("line 1\nline 2\n").toString("base64") },
    ]);
    await expectUploaded(alice, 2);
    await pasteImage(
      alice.page,
      alice.chatPage.composer,
      "image.png",
      (await pngBytes(30, 20, "#2b8a3e")).toString("base64"),
    );
    await expectUploaded(alice, 3);
    const caption = uniqueText("dropped and pasted");
    await sendWith(alice, caption);

    const message = bob.chatPage.messageStartingWith(caption);
    await expect(message.getByTestId("message-image")).toHaveCount(2);
    await expect(message.getByTestId("file-card")).toContainText("log.txt");
  });

  test("an upload can be cancelled, and a refused file says why", async () => {
    const input = alice.page.getByTestId("file-input");
    // held by the network: it stays in progress until cancelled
    await alice.page.route("**/api/uploads", () => undefined);
    await input.setInputFiles({ name: "slow.txt", mimeType: "text/plain", buffer: Buffer.from("slow") });
    await expect(attachments(alice)).toHaveAttribute("data-state", "uploading");
    await expect(attachments(alice).getByRole("progressbar", { name: "Uploading slow.txt" })).toBeVisible();
    await alice.page.getByRole("button", { name: "Cancel upload of slow.txt" }).click();
    await expect(attachments(alice)).toHaveCount(0);
    await alice.page.unroute("**/api/uploads");

    await input.setInputFiles({ name: "empty.txt", mimeType: "text/plain", buffer: Buffer.alloc(0) });
    const chip = attachments(alice);
    await expect(chip).toHaveAttribute("data-state", "failed");
    await expect(chip).toContainText("The file is empty");
    await chip.getByRole("button", { name: "Remove empty.txt" }).click();
    await expect(chip).toHaveCount(0);
    // eleven at once: ten are taken, and the rest is explained
    await input.setInputFiles(
      Array.from({ length: 11 }, (_, i) => ({
        name: `f${i}.txt`,
        mimeType: "text/plain",
        buffer: Buffer.from(`file ${i}`),
      })),
    );
    await expect(alice.page.getByTestId("attachment-tray")).toContainText(
      "At most 10 files in one message: 1 left out.",
    );
    await expectUploaded(alice, 10);
  });
});

test("through Next: an over-size upload is 413, and files are served with their headers and ranges", async ({
  request,
  apiUser,
  serverURL,
}) => {
  const auth = { Authorization: `Bearer ${apiUser.token}` };
  const tooBig = await request.post("/api/uploads", {
    headers: auth,
    multipart: { file: { name: "big.bin", mimeType: "application/octet-stream", buffer: Buffer.alloc(26_214_401, 1) } },
  });
  expect(tooBig.status()).toBe(413);
  expect(await tooBig.json()).toEqual({ detail: "The file is too large: at most 25 MiB per file" });
  // chunked, no Content-Length: refused while it streams
  const streamed = await streamUpload(serverURL, apiUser.token, 40 * 1024 * 1024);
  expect(streamed.status).toBe(413);
  expect(JSON.parse(streamed.body)).toEqual({ detail: "The file is too large: at most 25 MiB per file" });

  const up = await request.post("/api/uploads", {
    headers: auth,
    multipart: { file: { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("0123456789") } },
  });
  expect(up.status()).toBe(201);
  const { file } = (await up.json()) as { file: { url: string } };
  const part = await request.get(file.url, { headers: { ...auth, Range: "bytes=2-4" } });
  expect(part.status()).toBe(206);
  expect(await part.text()).toBe("234");
  expect(part.headers()).toMatchObject({
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
    "content-disposition": 'attachment; filename="notes.txt"',
    "content-range": "bytes 2-4/10",
    "accept-ranges": "bytes",
  });
  expect((await request.get(file.url)).status()).toBe(401);
});

// docs/ is rewritten only on request (UPDATE_SCREENSHOTS=1), as in screenshots.spec.ts
const shot = (name: string) =>
  fileURLToPath(
    new URL(`../${process.env.UPDATE_SCREENSHOTS ? "docs" : "test-results/screenshots"}/${name}`, import.meta.url),
  );

test("screenshots: a message with an image and a file card, desktop and phone, light and dark", async ({
  newUser,
  request,
  serverURL,
}) => {
  test.setTimeout(90_000);
  const DESKTOP = { viewport: { width: 1440, height: 900 } };
  const ada = await newUser("ada", DESKTOP, uniqueUsername("ada", 2));
  await signInViaApi(request, ada, serverURL);
  for (let i = 0; i < 8; i++) await ada.chatPage.send(`Filler line ${i + 1} before the release notes`);
  await ada.page.getByTestId("file-input").setInputFiles([
    { name: "error-rates.png", mimeType: "image/png", buffer: await chartPng() },
    { name: "release-notes-v2.4.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% notes\n%%EOF\n") },
  ]);
  await expectUploaded(ada, 2);
  await sendWith(ada, "Error rates after the deploy, and the release notes");
  const message = ada.chatPage.messageStartingWith("Error rates after the deploy");
  await expect
    .poll(() => message.locator("img").evaluate((img: HTMLImageElement) => img.naturalWidth))
    .toBeGreaterThan(0);
  await ada.page.screenshot({ path: shot("screenshot-files.png") });
  await ada.page.emulateMedia({ colorScheme: "dark" });
  await ada.page.screenshot({ path: shot("screenshot-files-dark.png") });
  await message.getByTestId("message-image").click();
  await expect(ada.page.getByTestId("lightbox").locator("img")).toBeVisible();
  await ada.page.screenshot({ path: shot("screenshot-files-lightbox-dark.png") });

  const phone = await newUser(
    "ada",
    { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
    ada.username,
  );
  const token = await apiLogin(request, ada.username);
  await phone.context.addCookies([{ name: SESSION_COOKIE, value: token, url: serverURL, httpOnly: true }]);
  await phone.chatPage.goto();
  const onPhone = phone.chatPage.messageStartingWith("Error rates after the deploy");
  await expect
    .poll(() => onPhone.locator("img").evaluate((img: HTMLImageElement) => img.naturalWidth))
    .toBeGreaterThan(0);
  await phone.page.screenshot({ path: shot("screenshot-files-mobile.png") });
  await phone.page.emulateMedia({ colorScheme: "dark" });
  await phone.page.screenshot({ path: shot("screenshot-files-mobile-dark.png") });
});
