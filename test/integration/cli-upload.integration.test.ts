// /upload in the terminal chat screen against the real server: the file streams up with a progress line,
// goes out with its caption, and every client (this screen and a socket.io member) sees it; attachments print
// as name, size and URL; a missing file and an over-size one are refused with a clear line.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "@/lib/protocol";
import { formatAttachment } from "@/cli/render";
import { openScreen } from "../helpers/terminal-screen";
import { nextEvent, startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;
let dir: string;
const PASSWORD = "correct horse battery";
const noColor = process.env.NO_COLOR;

beforeAll(async () => {
  process.env.NO_COLOR = "1";
  server = await startTestServer({ env: { UPLOAD_MAX_BYTES: String(512 * 1024) } });
  dir = mkdtempSync(path.join(tmpdir(), "chatterbox-cli-upload-"));
});
afterAll(async () => {
  if (noColor === undefined) delete process.env.NO_COLOR;
  else process.env.NO_COLOR = noColor;
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("/upload", () => {
  it("uploads with a progress line, sends with the caption, and prints name, size and URL", async () => {
    const socket = server.connect({ token: await server.token("uploadwatcher", PASSWORD) });
    await nextEvent(socket, "history");
    const file = path.join(dir, "build log.txt");
    writeFileSync(file, "x".repeat(300 * 1024));
    const tty = await openScreen(server, dir, "uploader", PASSWORD);
    await tty.waitFor("uploader #general> ");
    const seen = nextEvent(socket, "message:new");
    tty.enter(`/upload "${file}" the nightly log`);
    await tty.waitFor(/uploading build log\.txt \[#+\.*\] \d+% of 300 KB/);
    await tty.waitFor("uploaded build log.txt (300 KB)");
    const message: Message = await seen;
    expect(message).toMatchObject({ username: "uploader", content: "the nightly log" });
    expect(message.files).toMatchObject([{ name: "build log.txt", size: 300 * 1024, type: "text/plain" }]);
    const url = `${server.url}${message.files[0]!.url}`;
    await tty.waitFor(`uploader: the nightly log\n`);
    await tty.waitFor(`📎 build log.txt (300 KB) ${url}`);
    // the URL printed works with the user's token
    const res = await fetch(url, { headers: { authorization: `Bearer ${tty.token}` } });
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(300 * 1024);

    // a file alone (no caption) is a message of its file
    const small = path.join(dir, "tiny.txt");
    writeFileSync(small, "tiny");
    tty.mark();
    tty.enter(`/up ${small}`);
    await tty.waitFor(/uploader: 📎 tiny\.txt \(4 B\) http:\/\/127\.0\.0\.1:\d+\/api\/files\/[\w-]+/);
  });

  it("says why a file cannot go: missing, a directory, too large", async () => {
    const tty = await openScreen(server, dir, "refused", PASSWORD);
    await tty.waitFor("refused #general> ");
    tty.enter(`/upload ${path.join(dir, "nope.bin")}`);
    await tty.waitFor(`! no such file: ${path.join(dir, "nope.bin")}`);
    tty.enter(`/upload ${dir}`);
    await tty.waitFor(`! not a file: ${dir}`);
    const big = path.join(dir, "big.bin");
    writeFileSync(big, Buffer.alloc(600 * 1024, 1));
    tty.enter(`/upload ${big} too big`);
    await tty.waitFor("! The file is too large: at most 0.5 MiB per file");
  });
});

describe("formatAttachment", () => {
  it("prints the name (terminal escapes removed), the size and the full URL", () => {
    const file = {
      id: "abcdefghijklmnop",
      name: "a\u001b[31mb.txt",
      size: 2048,
      type: "text/plain",
      url: "/api/files/x",
    };
    expect(formatAttachment(file, "http://chat.example")).toBe("📎 ab.txt (2.0 KB) http://chat.example/api/files/x");
  });
});
