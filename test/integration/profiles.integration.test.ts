// SPEC "Accounts, sessions, administration", the profile half: GET / PATCH /api/me, avatars (upload, refusals,
// serving), display names and avatars on messages and user lists, and `user:updated` reaching others live.
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MeResponse, Message, UserProfile, UsersResponse } from "@/lib/protocol";
import { body } from "../helpers/http";
import { jpegWithExif, pngBomb, pngOf, uploadAvatar } from "../helpers/images";
import { ackedMessage, record, send, waitConnected, waitUntil } from "../helpers/socket-utils";
import { nextEvent, startTestServer, type TestServer } from "../helpers/test-server";

const AVATAR_MAX_BYTES = 400_000;
let server: TestServer;
/** registered first, so it is the database's admin and the accounts after it are not */
const firstAccount = "owner_first";

beforeAll(async () => {
  server = await startTestServer({ env: { AVATAR_MAX_BYTES: String(AVATAR_MAX_BYTES) } });
  await server.token(firstAccount);
});
afterAll(async () => {
  await server.close();
});

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const getMe = (token: string) => fetch(`${server.url}/api/me`, { headers: auth(token) });
const patchMe = (token: string, payload: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/me`, {
    method: "PATCH",
    headers: { ...auth(token), "content-type": "application/json", ...headers },
    body: typeof payload === "string" ? payload : JSON.stringify(payload),
  });
const getPath = (token: string | null, pathname: string) =>
  fetch(server.url + pathname, { headers: token ? auth(token) : {} });

async function latestOf(token: string, username: string): Promise<Message> {
  const { messages } = await body<{ messages: Message[] }>(await getPath(token, "/api/messages?limit=50"));
  const mine = messages.filter((m) => m.username === username);
  return mine[mine.length - 1]!;
}

describe("GET /api/me", () => {
  it("is 401 without a session", async () => {
    expect((await getPath(null, "/api/me")).status).toBe(401);
  });

  it("answers the profile: username, no display name, no avatar, whether an admin, no status", async () => {
    const token = await server.token("me_reader");
    const me = await body<MeResponse>(await getMe(token));
    expect(me).toMatchObject({ username: "me_reader", displayName: null, avatarUrl: null, admin: false, status: null });
    // the database's first account is its admin, and says so
    const first = await body<MeResponse>(await getMe(await server.token(firstAccount)));
    expect(first.admin).toBe(true);
    expect(Number.isNaN(Date.parse(me.createdAt))).toBe(false);
  });
});

describe("PATCH /api/me", () => {
  let token: string;
  beforeAll(async () => {
    token = await server.token("namer");
  });

  it("sets a trimmed display name and a status; GET /api/me shows them", async () => {
    const res = await patchMe(token, { displayName: "  Ada Lovelace  ", status: " Counting engines " });
    expect(res.status).toBe(200);
    expect(await body<MeResponse>(res)).toMatchObject({ displayName: "Ada Lovelace", status: "Counting engines" });
    expect(await body<MeResponse>(await getMe(token))).toMatchObject({
      username: "namer",
      displayName: "Ada Lovelace",
    });
  });

  it("counts characters as people do: 64 emoji are a valid name, 65 are not", async () => {
    expect((await patchMe(token, { displayName: "😀".repeat(64) })).status).toBe(200);
    const res = await patchMe(token, { displayName: "😀".repeat(65) });
    expect(res.status).toBe(422);
    expect((await body<{ detail: string }>(res)).detail).toMatch(/at most 64 characters/);
  });

  it.each([
    ["an empty name", { displayName: "" }, /empty/],
    ["a blank name", { displayName: "   " }, /empty/],
    ["a bell character", { displayName: "Ada\u0007" }, /control characters/],
    ["a newline", { displayName: "Ada\nBob" }, /control characters/],
    ["a right-to-left override", { displayName: "Ada\u202egnp.exe" }, /control characters/],
    ["a number", { displayName: 42 }, /must be a string/],
    ["a status over 140 characters", { status: "x".repeat(141) }, /at most 140/],
    ["nothing to change", {}, /displayName or status/],
    ["a field that is not the profile's", { username: "someone_else" }, /username/i],
  ])("refuses %s with 422 and a detail, changing nothing", async (_what, payload, detail) => {
    const before = await body<MeResponse>(await getMe(token));
    const res = await patchMe(token, payload);
    expect(res.status).toBe(422);
    expect((await body<{ detail: string }>(res)).detail).toMatch(detail);
    expect(await body<MeResponse>(await getMe(token))).toEqual(before);
  });

  it("refuses malformed JSON with 400, no session with 401, a foreign page with 403", async () => {
    expect((await patchMe(token, "{nope")).status).toBe(400);
    const anonymous = await fetch(`${server.url}/api/me`, { method: "PATCH", body: "{}" });
    expect(anonymous.status).toBe(401);
    expect((await patchMe(token, { displayName: "X" }, { origin: "https://evil.example" })).status).toBe(403);
  });

  it("clears the name with null and the status with an empty string", async () => {
    const res = await patchMe(token, { displayName: null, status: "" });
    expect(await body<MeResponse>(res)).toMatchObject({ displayName: null, status: null });
  });
});

describe("display names on messages, lists and live", () => {
  it("messages carry the author's current name (null when none), old ones included, on every read", async () => {
    const token = await server.token("renamed");
    const reader = await server.token("onlooker");
    const socket = server.connect({ token });
    await waitConnected(socket);
    const first = ackedMessage(await send(socket, { content: "before the rename" }));
    expect(first.displayName).toBeNull();
    expect(first.avatarUrl).toBeNull();

    expect((await patchMe(token, { displayName: "Grace H." })).status).toBe(200);
    const second = ackedMessage(await send(socket, { content: "after the rename" }));
    expect(second.displayName).toBe("Grace H.");
    // the stored message is not rewritten: its author's name is read with it
    const { messages } = await body<{ messages: Message[] }>(
      await getPath(reader, `/api/messages?after=${first.id - 1}`),
    );
    expect(messages.find((m) => m.id === first.id)?.displayName).toBe("Grace H.");
    expect(messages.find((m) => m.id === second.id)?.displayName).toBe("Grace H.");
    const changes = await body<{ messages: Message[] }>(await getPath(reader, "/api/changes?since=0"));
    expect(changes.messages.find((m) => m.id === first.id)?.displayName).toBe("Grace H.");
  });

  it("GET /api/users carries display names, statuses and avatars", async () => {
    const token = await server.token("listed");
    await patchMe(token, { displayName: "Listed Person", status: "in the list" });
    const { users } = await body<UsersResponse>(await getPath(token, "/api/users"));
    expect(users.find((u) => u.username === "listed")).toMatchObject({
      displayName: "Listed Person",
      status: "in the list",
      avatarUrl: null,
    });
  });

  it("another user's socket gets user:updated with the new profile, and the message after it shows it", async () => {
    const changer = await server.token("live_changer");
    const watcher = await server.token("live_watcher");
    const watching = server.connect({ token: watcher });
    const history = nextEvent(watching, "history");
    await waitConnected(watching);
    await history;
    const updates = record(watching, "user:updated");
    const live = record(watching, "message:new");

    expect((await patchMe(changer, { displayName: "Live Name", status: "here" })).status).toBe(200);
    await waitUntil(() => updates.some((u) => u.username === "live_changer"), 2000, "user:updated");
    const update = updates.find((u) => u.username === "live_changer") as UserProfile;
    expect(update).toEqual({ username: "live_changer", displayName: "Live Name", avatarUrl: null, status: "here" });

    const speaking = server.connect({ token: changer });
    await waitConnected(speaking);
    const sent = ackedMessage(await send(speaking, { content: "hello with a name" }));
    await waitUntil(() => live.some((m) => m.id === sent.id), 2000, "message:new");
    expect(live.find((m) => m.id === sent.id)?.displayName).toBe("Live Name");
  });
});

describe("avatars", () => {
  let token: string;
  let watcherUpdates: UserProfile[];

  beforeAll(async () => {
    token = await server.token("pictured");
    const watcher = server.connect({ token: await server.token("picture_watcher") });
    await waitConnected(watcher);
    watcherUpdates = record(watcher, "user:updated");
  });

  it("an upload is stored as 256 and 64 px WebP squares without metadata, served to signed-in users", async () => {
    const res = await uploadAvatar(server.url, token, await jpegWithExif(640, 480), {
      type: "image/jpeg",
      filename: "me.jpg",
    });
    expect(res.status).toBe(200);
    const { avatarUrl } = await body<{ avatarUrl: string }>(res);
    expect(avatarUrl).toMatch(/^\/api\/avatars\/[0-9a-f]{32}$/);

    const large = await getPath(token, avatarUrl);
    expect(large.status).toBe(200);
    expect(large.headers.get("content-type")).toBe("image/webp");
    expect(large.headers.get("x-content-type-options")).toBe("nosniff");
    expect(large.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
    const largeBytes = Buffer.from(await large.arrayBuffer());
    const meta = await sharp(largeBytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", 256, 256]);
    expect(meta.exif).toBeUndefined();
    expect(largeBytes.includes("SecretCam")).toBe(false);

    const small = await getPath(token, `${avatarUrl}?size=64`);
    const smallMeta = await sharp(Buffer.from(await small.arrayBuffer())).metadata();
    expect([smallMeta.width, smallMeta.height]).toEqual([64, 64]);

    // anyone signed in may see it; nobody else
    expect((await getPath(await server.token("stranger"), avatarUrl)).status).toBe(200);
    expect((await getPath(null, avatarUrl)).status).toBe(401);
    expect((await getPath(token, "/api/avatars/0123456789abcdef0123456789abcdef")).status).toBe(404);
    expect((await getPath(token, "/api/avatars/..%2f..%2fetc")).status).toBe(404);

    expect((await body<MeResponse>(await getMe(token))).avatarUrl).toBe(avatarUrl);
    await waitUntil(() => watcherUpdates.some((u) => u.avatarUrl === avatarUrl), 2000, "user:updated with avatar");
  });

  it("messages carry the avatar; a new upload changes the URL and the old one stops answering", async () => {
    const socket = server.connect({ token });
    await waitConnected(socket);
    const old = (await body<MeResponse>(await getMe(token))).avatarUrl!;
    expect(ackedMessage(await send(socket, { content: "with a face" })).avatarUrl).toBe(old);

    const res = await uploadAvatar(server.url, token, await pngOf(300, 200));
    const { avatarUrl } = await body<{ avatarUrl: string }>(res);
    expect(avatarUrl).not.toBe(old);
    expect((await latestOf(token, "pictured")).avatarUrl).toBe(avatarUrl);
    expect((await getPath(token, old)).status).toBe(404);
  });

  it.each([
    ["HTML named .png and sent as image/png", Buffer.from("<html><script>alert(1)</script></html>"), "image/png"],
    [
      "an SVG image",
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      "image/svg+xml",
    ],
    ["a PDF", Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"), "image/png"],
    ["a truncated PNG", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), "image/png"],
  ])("refuses %s with 422, keeping the avatar it had", async (_what, bytes, type) => {
    const before = (await body<MeResponse>(await getMe(token))).avatarUrl;
    const res = await uploadAvatar(server.url, token, bytes, { type });
    expect(res.status).toBe(422);
    expect((await body<{ detail: string }>(res)).detail).toMatch(/PNG, JPEG, GIF or WebP|could not be read/);
    expect((await body<MeResponse>(await getMe(token))).avatarUrl).toBe(before);
  });

  it("refuses a decompression bomb (a tiny PNG declaring 50,000 × 50,000) without 100 MB more memory", async () => {
    const bomb = pngBomb();
    expect(bomb.length).toBeLessThan(2_000_000);
    const before = process.memoryUsage().rss;
    const res = await uploadAvatar(server.url, token, bomb);
    // the peak resident size of this process (the server runs in it) over the whole request
    const peak = process.resourceUsage().maxRSS * 1024;
    expect(res.status).toBe(422);
    expect((await body<{ detail: string }>(res)).detail).toMatch(/50000 × 50000 pixels/);
    expect(peak - before).toBeLessThan(100 * 1024 * 1024);
  });

  it("refuses a file over AVATAR_MAX_BYTES with 413, a body that is not multipart or has no file part with 422", async () => {
    const big = Buffer.concat([await pngOf(10, 10), Buffer.alloc(AVATAR_MAX_BYTES)]);
    expect((await uploadAvatar(server.url, token, big)).status).toBe(413);
    const notMultipart = await fetch(`${server.url}/api/me/avatar`, {
      method: "POST",
      headers: { ...auth(token), "content-type": "image/png" },
      body: new Uint8Array(await pngOf(10, 10)),
    });
    expect(notMultipart.status).toBe(422);
    expect((await uploadAvatar(server.url, token, await pngOf(10, 10), { field: "picture" })).status).toBe(422);
    const anonymous = await fetch(`${server.url}/api/me/avatar`, { method: "POST", body: new FormData() });
    expect(anonymous.status).toBe(401);
  });

  it("DELETE /api/me/avatar goes back to the initials", async () => {
    const res = await fetch(`${server.url}/api/me/avatar`, { method: "DELETE", headers: auth(token) });
    expect(res.status).toBe(200);
    expect((await body<MeResponse>(await getMe(token))).avatarUrl).toBeNull();
    await waitUntil(
      () => watcherUpdates.some((u) => u.username === "pictured" && u.avatarUrl === null),
      2000,
      "user:updated without avatar",
    );
  });
});
