// File sharing (SPEC.md "Files"): uploads streamed with their limits, types from the bytes, images measured and
// thumbnailed, files attached to messages on every transport, who may read them, the serving headers and
// ranges, dedupe by hash, and the sweep.
import { parse as parseDisposition } from "content-disposition";
import { readdirSync } from "node:fs";
import { request } from "node:http";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack, FileInfo, Message } from "@/lib/protocol";
import { waitUntil } from "../helpers/socket-utils";
import { png, sidewaysJpeg, streamUpload, uploadFile } from "../helpers/uploads";
import { nextEvent, startTestServer, type TestServer, type TestSocket } from "../helpers/test-server";
import { openWs } from "../helpers/ws-client";

const MAX = 1024 * 1024;
const QUOTA = 3 * MAX;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    env: { UPLOAD_MAX_BYTES: String(MAX), UPLOAD_QUOTA_BYTES: String(QUOTA), UPLOAD_MAX_PIXELS: "1000000" },
  });
});
afterAll(async () => {
  await server.close();
});

interface User {
  name: string;
  token: string;
  socket: TestSocket;
}
let n = 0;
async function user(prefix = "file"): Promise<User> {
  const name = `${prefix}${++n}`;
  const token = await server.token(name);
  const socket = server.connect({ token });
  await nextEvent(socket, "history");
  return { name, token, socket };
}

const ok = (ack: Ack<{ message: Message }>): Message => {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.detail}`);
  return ack.message;
};
const refusal = (ack: Ack<object>) => (ack.ok ? "ok" : `${ack.error.code}: ${ack.error.detail}`);

async function uploaded(u: User, bytes: Uint8Array | string, name: string): Promise<FileInfo> {
  const res = await uploadFile(server.url, u.token, bytes, name);
  if (res.status !== 201 || !res.file) throw new Error(`upload ${res.status}: ${res.detail}`);
  return res.file;
}
const get = (url: string, token?: string, headers: Record<string, string> = {}) =>
  fetch(server.url + url, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
const dirFiles = (sub: string) => readdirSync(path.join(server.dir, "uploads", sub));
const unique = (label: string) => `${label} ${Math.random()} ${"x".repeat(100)}`;

describe("uploading", () => {
  it("stores a file and answers 201 with its description, the type from the bytes", async () => {
    const a = await user();
    const res = await uploadFile(server.url, a.token, "hello, plain text\n", "notes.txt");
    expect(res.status).toBe(201);
    expect(res.file).toMatchObject({ name: "notes.txt", size: 18, type: "text/plain" });
    expect(res.file?.url).toBe(`/api/files/${res.file?.id}`);
    expect(res.file?.width).toBeUndefined();
    expect(res.file?.thumbnailUrl).toBeUndefined();
  });

  it("measures an image and makes an upright, metadata-free thumbnail", async () => {
    const a = await user();
    const file = await uploaded(a, await sidewaysJpeg(60, 20), "photo.jpg");
    // stored 60×20 with orientation 6: it is shown 20 wide, 60 high
    expect(file).toMatchObject({ type: "image/jpeg", width: 20, height: 60 });
    expect(file.thumbnailUrl).toBe(`/api/files/${file.id}/thumbnail`);
    const thumb = await get(file.thumbnailUrl!, a.token);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("content-type")).toBe("image/webp");
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect({ w: meta.width, h: meta.height, exif: meta.exif, orientation: meta.orientation }).toEqual({
      w: 20,
      h: 60,
      exif: undefined,
      orientation: undefined,
    });
  });

  it("types spoofed names by their bytes: a PNG named .txt is an image, text named .png is text", async () => {
    const a = await user();
    const image = await uploaded(a, await png(8, 4), "not-an-image.txt");
    expect(image).toMatchObject({ type: "image/png", width: 8, height: 4 });
    const text = await uploaded(a, "<html><script>alert(1)</script></html>", "innocent.png");
    expect(text.type).toBe("text/plain");
    expect(text.thumbnailUrl).toBeUndefined();
    const svg = await uploaded(a, '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "a.svg");
    const served = await get(svg.url, a.token);
    expect(served.headers.get("content-disposition")).toMatch(/^attachment;/);
    const binary = await uploaded(a, new Uint8Array([0, 1, 2, 3, 0, 255, 254]), "blob.jpg");
    expect(binary.type).toBe("application/octet-stream");
  });

  it("refuses an empty file, a missing part, and a body that is not multipart", async () => {
    const a = await user();
    expect(await uploadFile(server.url, a.token, "", "empty.txt")).toMatchObject({
      status: 422,
      detail: "The file is empty",
    });
    expect(await uploadFile(server.url, a.token, "hi", "x.txt", "attachment")).toMatchObject({
      status: 422,
      detail: expect.stringMatching(/one part named file/) as string,
    });
    const res = await fetch(`${server.url}/api/uploads`, {
      method: "POST",
      headers: { authorization: `Bearer ${a.token}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(422);
    expect(await uploadFile(server.url, undefined, "hi", "x.txt")).toMatchObject({ status: 401 });
  });

  it("refuses an over-size body with 413 while it streams, and keeps nothing of it", async () => {
    const a = await user();
    const before = [dirFiles("blobs").length, dirFiles("tmp").length];
    const res = await streamUpload(server.url, a.token, 8 * MAX);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual({ detail: "The file is too large: at most 1 MiB per file" });
    expect([dirFiles("blobs").length, dirFiles("tmp").length]).toEqual(before);
    // exactly the limit is fine
    expect((await uploadFile(server.url, a.token, new Uint8Array(MAX).fill(9), "max.bin")).status).toBe(201);
  });

  it("keeps nothing of an upload whose client goes away mid-file", async () => {
    const a = await user();
    const blobs = dirFiles("blobs").length;
    const req = request(new URL("/api/uploads", server.url), {
      method: "POST",
      headers: { authorization: `Bearer ${a.token}`, "content-type": "multipart/form-data; boundary=cut" },
    });
    req.on("error", () => undefined);
    req.write(`--cut\r\nContent-Disposition: form-data; name="file"; filename="cut.bin"\r\n\r\n`);
    req.write(Buffer.alloc(200 * 1024, 3));
    await waitUntil(() => dirFiles("tmp").length === 1, 5000, "the upload's temp file");
    req.destroy();
    await waitUntil(() => dirFiles("tmp").length === 0, 5000, "the temp file removed");
    expect(dirFiles("blobs").length).toBe(blobs);
  });

  it("refuses an image past UPLOAD_MAX_PIXELS without decoding it (decompression bomb)", async () => {
    const a = await user();
    const res = await uploadFile(server.url, a.token, await png(2000, 1000), "bomb.png");
    expect(res.status).toBe(422);
    expect(res.detail).toMatch(/too large to show/);
  });

  it("cleans names: no directories, no control or bidi characters; unicode kept", async () => {
    const a = await user();
    const cases: [string, string][] = [
      ["../../etc/passwd", "passwd"],
      ["..\\..\\windows\\system.ini", "system.ini"],
      ["résumé 履歴書 🎉.txt", "résumé 履歴書 🎉.txt"],
      ["evil\u202Etxt.exe", "eviltxt.exe"],
      ["..", "file"],
      ["a<b>:c|d?.txt", "a_b__c_d_.txt"],
    ];
    for (const [raw, clean] of cases) {
      const file = await uploaded(a, `content of ${raw}`, raw);
      expect(file.name).toBe(clean);
    }
    expect(dirFiles("")).toEqual(expect.arrayContaining(["blobs", "thumbnails", "tmp"]));
    expect(dirFiles("").length).toBe(3);
  });

  it("stores the same bytes once, however often they are uploaded", async () => {
    const [a, b] = [await user(), await user()];
    const bytes = unique("dedupe");
    const before = dirFiles("blobs").length;
    const first = await uploaded(a, bytes, "one.txt");
    const second = await uploaded(b, bytes, "two.txt");
    expect(second.id).not.toBe(first.id);
    expect(dirFiles("blobs").length).toBe(before + 1);
    expect(await (await get(second.url, b.token)).text()).toBe(bytes);
  });

  it("refuses uploads past the user's quota with a clear 413", async () => {
    const a = await user("quota");
    for (let i = 0; i < 3; i++)
      expect((await uploadFile(server.url, a.token, new Uint8Array(MAX).fill(i + 1), "q.bin")).status).toBe(201);
    const full = await uploadFile(server.url, a.token, "one more", "more.txt");
    expect(full.status).toBe(413);
    expect(full.detail).toMatch(/^Your storage is full: 0 MiB left of your 3 MiB/);
  });
});

describe("files in messages", () => {
  it("sends files with a message (content may be empty) and everyone in the room sees them, in order", async () => {
    const [a, b] = [await user(), await user()];
    const one = await uploaded(a, await png(10, 10), "one.png");
    const two = await uploaded(a, unique("two"), "two.txt");
    const seen = nextEvent(b.socket, "message:new");
    const m = ok(await a.socket.emitWithAck("message:send", { content: "", files: [two.id, one.id] }));
    expect(m.content).toBe("");
    expect(m.files).toEqual([two, one]);
    expect((await seen).files).toEqual([two, one]);
    // history and catch-up carry them too
    const page = await get(`/api/messages?after=${m.id - 1}&limit=1`, b.token);
    expect(((await page.json()) as { messages: Message[] }).messages[0]?.files).toEqual([two, one]);
    const changes = await get(`/api/changes?since=${m.seq - 1}`, b.token);
    const changed = ((await changes.json()) as { messages: Message[] }).messages.find((x) => x.id === m.id);
    expect(changed?.files).toEqual([two, one]);
    // messages without files carry an empty list
    expect(ok(await a.socket.emitWithAck("message:send", { content: "plain" })).files).toEqual([]);
  });

  it("refuses 11 files, a file listed twice, someone else's, one already sent, and an empty message", async () => {
    const [a, b] = [await user(), await user()];
    const files = await Promise.all(Array.from({ length: 11 }, (_, i) => uploaded(a, unique(`f${i}`), `f${i}.txt`)));
    const ids = files.map((f) => f.id);
    expect(refusal(await a.socket.emitWithAck("message:send", { content: "x", files: ids }))).toBe(
      "invalid_input: at most 10 files in one message",
    );
    expect(refusal(await a.socket.emitWithAck("message:send", { content: "x", files: [ids[0]!, ids[0]!] }))).toBe(
      "invalid_input: the same file is listed twice",
    );
    expect(refusal(await b.socket.emitWithAck("message:send", { content: "mine?", files: [ids[0]!] }))).toMatch(
      /^not_found/,
    );
    ok(await a.socket.emitWithAck("message:send", { content: "", files: ids.slice(0, 10) }));
    expect(refusal(await a.socket.emitWithAck("message:send", { content: "again", files: [ids[0]!] }))).toMatch(
      /^invalid_input: A file of this message is already sent/,
    );
    expect(refusal(await a.socket.emitWithAck("message:send", { content: "  ", files: [] }))).toBe(
      "invalid_input: message is empty: give content, or files",
    );
  });

  it("a retry with the same clientId gets the stored message, files and all", async () => {
    const a = await user();
    const file = await uploaded(a, unique("retry"), "retry.txt");
    const clientId = crypto.randomUUID();
    const first = ok(await a.socket.emitWithAck("message:send", { content: "r", clientId, files: [file.id] }));
    const again = ok(await a.socket.emitWithAck("message:send", { content: "r", clientId, files: [file.id] }));
    expect(again).toEqual(first);
  });

  it("sends and receives files over the plain WebSocket", async () => {
    const a = await user();
    const file = await uploaded(a, unique("ws"), "ws.txt");
    const ws = await openWs(server.url, { token: a.token });
    await ws.nextOf("history");
    ws.sendJson({ content: "", files: [file.id] });
    const frame = await ws.next((f) => f.type === "message" && f.files.some((x) => x.id === file.id));
    expect(frame).toMatchObject({ type: "message", username: a.name, files: [file] });
    ws.sendJson({ content: "", files: [] });
    expect(await ws.nextOf("error")).toEqual({ type: "error", detail: "Invalid message format" });
    await ws.close();
  });
});

describe("who may read a file", () => {
  it("the uploader before sending; members after; outsiders 404; no session 401; after delete 404", async () => {
    const [a, b, c] = [await user(), await user(), await user()];
    const room = `files${++n}`;
    expect((await a.socket.emitWithAck("room:create", { name: room, private: true })).ok).toBe(true);
    expect((await a.socket.emitWithAck("room:invite", { room, username: b.name })).ok).toBe(true);
    const file = await uploaded(a, await png(12, 6), "secret.png");
    const urls = [file.url, file.thumbnailUrl!];
    for (const url of urls) {
      expect((await get(url, a.token)).status).toBe(200);
      expect((await get(url, b.token)).status).toBe(404);
      expect((await get(url)).status).toBe(401);
    }
    const m = ok(await a.socket.emitWithAck("message:send", { room, content: "look", files: [file.id] }));
    for (const url of urls) {
      expect((await get(url, a.token)).status).toBe(200);
      expect((await get(url, b.token)).status).toBe(200);
      expect((await get(url, c.token)).status).toBe(404);
      expect((await get(url)).status).toBe(401);
    }
    const deleted = ok(await a.socket.emitWithAck("message:delete", { id: m.id }));
    expect(deleted.files).toEqual([]);
    for (const url of urls) {
      expect((await get(url, a.token)).status).toBe(404);
      expect((await get(url, b.token)).status).toBe(404);
    }
    expect((await get("/api/files/not-a-real-id-at-all", a.token)).status).toBe(404);
    expect((await get("/api/files/..%2F..%2Fetc%2Fpasswd", a.token)).status).toBe(404);
  });
});

describe("serving", () => {
  it("images inline, everything else as an attachment, always nosniff and a sandbox CSP", async () => {
    const a = await user();
    const image = await uploaded(a, await png(4, 4), "pic.png");
    const text = await uploaded(a, unique("doc"), "Ünïcödé report.txt");
    const img = await get(image.url, a.token);
    expect(img.headers.get("content-type")).toBe("image/png");
    expect(parseDisposition(img.headers.get("content-disposition") ?? "")).toEqual({
      type: "inline",
      parameters: { filename: "pic.png" },
    });
    const doc = await get(text.url, a.token);
    const disposition = parseDisposition(doc.headers.get("content-disposition") ?? "");
    expect([disposition.type, disposition.parameters.filename]).toEqual(["attachment", "Ünïcödé report.txt"]);
    for (const res of [img, doc, await get(text.url), await get(text.url, (await user()).token)]) {
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    }
  });

  it("answers ranges with 206, suffixes too, 416 past the end, and revalidates by ETag", async () => {
    const a = await user();
    const bytes = "0123456789abcdefghij";
    const file = await uploaded(a, bytes, "range.txt");
    const whole = await get(file.url, a.token);
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    expect(whole.headers.get("content-length")).toBe("20");
    const part = await get(file.url, a.token, { range: "bytes=2-5" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 2-5/20");
    expect(await part.text()).toBe("2345");
    const tail = await get(file.url, a.token, { range: "bytes=-3" });
    expect([tail.status, await tail.text()]).toEqual([206, "hij"]);
    const open = await get(file.url, a.token, { range: "bytes=18-" });
    expect([open.status, await open.text()]).toEqual([206, "ij"]);
    const past = await get(file.url, a.token, { range: "bytes=20-" });
    expect([past.status, past.headers.get("content-range")]).toEqual([416, "bytes */20"]);
    const etag = whole.headers.get("etag")!;
    expect((await get(file.url, a.token, { "if-none-match": etag })).status).toBe(304);
  });
});

describe("the sweep", () => {
  it("removes unsent uploads past their time and the blobs no message references", async () => {
    const a = await user();
    const stale = await uploaded(a, unique("stale"), "stale.txt");
    const kept = await uploaded(a, unique("kept"), "kept.txt");
    const gone = await uploaded(a, unique("gone"), "gone.txt");
    ok(await a.socket.emitWithAck("message:send", { content: "keep", files: [kept.id] }));
    const m = ok(await a.socket.emitWithAck("message:send", { content: "drop", files: [gone.id] }));
    ok(await a.socket.emitWithAck("message:delete", { id: m.id }));
    const blobs = dirFiles("blobs").length;
    const later = new Date(Date.now() + 25 * 60 * 60 * 1000);
    const swept = await server.services.files.sweep(later);
    expect(swept.uploads).toBeGreaterThanOrEqual(1);
    expect((await get(stale.url, a.token)).status).toBe(404);
    expect((await get(kept.url, a.token)).status).toBe(200);
    expect(dirFiles("blobs").length).toBeLessThanOrEqual(blobs - 2);
    expect(dirFiles("tmp")).toEqual([]);
  });
});
