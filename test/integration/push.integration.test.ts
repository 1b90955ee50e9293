// Web Push end to end (SPEC.md "Mentions and notifications"): a server child process posts to a local HTTPS
// push service (its self-signed certificate given as NODE_EXTRA_CA_CERTS, its origin in
// PUSH_ALLOWED_ORIGINS); the test decrypts each payload with the subscription's keys (RFC 8291) and checks
// the VAPID JWT (RFC 8292). Also: 404/410 endpoints dropped, SSRF refusals, sockets and levels respected.
import { rmSync } from "node:fs";
import { io as ioClient, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClientToServerEvents, Message, PushPayload, ServerToClientEvents } from "@/lib/protocol";
import {
  browserKeys,
  checkVapid,
  decryptPush,
  startPushEndpoint,
  type BrowserKeys,
  type PushEndpoint,
} from "../helpers/push-endpoint";
import { makeServerDir, spawnServer, type ServerProcess } from "../helpers/server-process";
import { dbAll } from "../helpers/db";

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
let push: PushEndpoint;
let server: ServerProcess;
let dir: string;
const sockets: Client[] = [];

beforeAll(async () => {
  push = await startPushEndpoint();
  dir = makeServerDir("chatterbox-push-");
  server = await spawnServer({
    dir,
    env: { PUSH_ALLOWED_ORIGINS: push.origin, VAPID_SUBJECT: "mailto:ops@chatterbox.test" },
    processEnv: { NODE_EXTRA_CA_CERTS: push.caFile },
  });
}, 60_000);
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server.kill("SIGTERM");
  await push.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
const password = "correct horse battery";
async function account(prefix: string): Promise<{ name: string; token: string }> {
  const name = `${prefix}${++n}`;
  const post = (p: string) =>
    fetch(server.url + p, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: name, password }),
    });
  expect((await post("/register")).status).toBe(200);
  const res = await post("/login");
  return { name, token: ((await res.json()) as { token: string }).token };
}
const api = (token: string, method: string, p: string, body?: unknown) =>
  fetch(server.url + p, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
async function connect(token: string): Promise<Client> {
  const s: Client = ioClient(server.url, { auth: { token }, transports: ["websocket"], reconnection: false });
  sockets.push(s);
  await new Promise<void>((resolve) => s.once("history", () => resolve()));
  return s;
}
async function send(s: Client, payload: { content: string; to?: string }): Promise<Message> {
  const ack = await s.emitWithAck("message:send", payload);
  if (!ack.ok) throw new Error(ack.error.detail);
  return ack.message;
}
/** a subscription of `token`'s user at a fresh path of the push service */
async function subscribe(token: string, pathname = `/push/${++n}`): Promise<{ path: string; keys: BrowserKeys }> {
  const keys = browserKeys();
  const res = await api(token, "POST", "/api/push/subscriptions", {
    endpoint: push.origin + pathname,
    keys: keys.json,
    expirationTime: null,
  });
  expect(res.status).toBe(201);
  return { path: pathname, keys };
}
const opened = (received: { body: Buffer }, keys: BrowserKeys) =>
  JSON.parse(decryptPush(received.body, keys)) as PushPayload;

describe("Web Push", () => {
  it("a user with no socket gets an encrypted, VAPID-signed push for a mention", async () => {
    const [a, b] = [await account("pa"), await account("pb")];
    const { publicKey } = (await (await api(b.token, "GET", "/api/push/key")).json()) as { publicKey: string };
    expect(Buffer.from(publicKey, "base64url")).toHaveLength(65);
    const sub = await subscribe(b.token);
    const sa = await connect(a.token);
    const long = `@${b.name} ${"é".repeat(300)}`;
    const sent = await send(sa, { content: long });
    const got = await push.nth(sub.path, 1);
    expect(got.headers["content-encoding"]).toBe("aes128gcm");
    expect(Number(got.headers.ttl)).toBeGreaterThan(0);
    expect(opened(got, sub.keys)).toEqual({
      room: "general",
      id: sent.id,
      username: a.name,
      body: [...long].slice(0, 200).join(""),
    });
    const { key, claims } = checkVapid(got.headers.authorization as string);
    expect(key).toBe(publicKey);
    expect(claims.aud).toBe(push.origin);
    expect(claims.sub).toBe("mailto:ops@chatterbox.test");
    const now = Date.now() / 1000;
    expect(claims.exp).toBeGreaterThan(now);
    expect(claims.exp).toBeLessThanOrEqual(now + 24 * 60 * 60);
  });

  it("levels are respected: no push for a plain message under mentions, nor in a muted room; DMs push", async () => {
    const [a, b] = [await account("la"), await account("lb")];
    const sub = await subscribe(b.token);
    const sa = await connect(a.token);
    await send(sa, { content: "nothing for b here" });
    const dm = await send(sa, { to: b.name, content: "a direct message" });
    expect(opened(await push.nth(sub.path, 1), sub.keys)).toMatchObject({ id: dm.id, room: dm.room });

    expect(
      (await api(b.token, "PUT", "/api/me/notifications", { level: "all", rooms: { general: "none" } })).status,
    ).toBe(200);
    await send(sa, { content: `@${b.name} muted room` });
    const dm2 = await send(sa, { to: b.name, content: "level all" });
    expect(opened(await push.nth(sub.path, 2), sub.keys)).toMatchObject({ id: dm2.id });
    // the plain and the muted messages, sent before each DM, pushed nothing
    expect(push.received.filter((r) => r.path === sub.path).map((r) => opened(r, sub.keys).id)).toEqual([
      dm.id,
      dm2.id,
    ]);
  });

  it("no push while the user has a socket open; one once it closes", async () => {
    const [a, b] = [await account("sa"), await account("sb")];
    const sub = await subscribe(b.token);
    const sa = await connect(a.token);
    const sb = await connect(b.token);
    const seen = new Promise<Message>((resolve) => sb.once("message:new", resolve));
    await send(sa, { to: b.name, content: "you are here" });
    await seen;
    sb.disconnect();
    // the server notices the close at once (presence's grace period does not delay pushes)
    await expect
      .poll(
        async () => {
          await send(sa, { to: b.name, content: "now you are away" });
          return push.received.filter((r) => r.path === sub.path).length;
        },
        { timeout: 10_000, interval: 300 },
      )
      .toBeGreaterThan(0);
    expect(
      opened(
        push.received.find((r) => r.path === sub.path)!,
        sub.keys,
      ).body,
    ).toBe("now you are away");
  });

  it("an endpoint answering 404 or 410 is removed; others stay", async () => {
    const [a, b] = [await account("ga"), await account("gb")];
    const gone = await subscribe(b.token, `/gone/${++n}`);
    const missing = await subscribe(b.token, `/missing/${++n}`);
    const fine = await subscribe(b.token);
    push.statusFor.set(gone.path, 410);
    push.statusFor.set(missing.path, 404);
    const sa = await connect(a.token);
    await send(sa, { to: b.name, content: "first" });
    await Promise.all([push.nth(gone.path, 1), push.nth(missing.path, 1), push.nth(fine.path, 1)]);
    const endpoints = async () =>
      (await dbAll<{ endpoint: string }>(server, `SELECT "endpoint" FROM "PushSubscription"`)).map((r) => r.endpoint);
    await expect.poll(endpoints, { timeout: 5000 }).not.toContain(push.origin + gone.path);
    await expect.poll(endpoints, { timeout: 5000 }).not.toContain(push.origin + missing.path);
    expect(await endpoints()).toContain(push.origin + fine.path);
    // DELETE of one's own subscription: 200, then it is gone (404)
    expect(
      (await api(b.token, "DELETE", "/api/push/subscriptions", { endpoint: push.origin + fine.path })).status,
    ).toBe(200);
    expect(
      (await api(b.token, "DELETE", "/api/push/subscriptions", { endpoint: push.origin + fine.path })).status,
    ).toBe(404);
  });

  it("refuses endpoints on internal hosts (literal or resolved), non-https ones and bad keys with 422", async () => {
    const { token } = await account("ssrf");
    const keys = browserKeys().json;
    for (const endpoint of [
      "https://127.0.0.1/push",
      "https://10.1.2.3/push",
      "https://169.254.169.254/latest",
      "https://[::1]/push",
      "https://[::ffff:127.0.0.1]/push",
      "https://192.168.1.1/push",
      "https://localhost/push",
      `${push.origin.replace(/:\d+$/, ":1")}/other-port`,
      "http://push.example.com/x",
      "not a url",
    ]) {
      const res = await api(token, "POST", "/api/push/subscriptions", { endpoint, keys });
      expect(res.status, endpoint).toBe(422);
      expect(((await res.json()) as { detail: string }).detail, endpoint).toMatch(/^endpoint /);
    }
    const bad = await api(token, "POST", "/api/push/subscriptions", {
      endpoint: `${push.origin}/k`,
      keys: { p256dh: "AAAA", auth: keys.auth },
    });
    expect(bad.status).toBe(422);
    expect((await api(token, "POST", "/api/push/subscriptions", { endpoint: `${push.origin}/k` })).status).toBe(422);
    expect((await fetch(`${server.url}/api/push/key`)).status).toBe(401);
  });

  it("keeps its VAPID key across a restart", async () => {
    const { token } = await account("vk");
    const before = ((await (await api(token, "GET", "/api/push/key")).json()) as { publicKey: string }).publicKey;
    for (const s of sockets.splice(0)) s.disconnect();
    await server.kill("SIGTERM");
    server = await spawnServer({
      dir,
      env: { PUSH_ALLOWED_ORIGINS: push.origin },
      processEnv: { NODE_EXTRA_CA_CERTS: push.caFile },
    });
    const login = await fetch(`${server.url}/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: `vk${n}`, password }),
    });
    const again = ((await login.json()) as { token: string }).token;
    expect(((await (await api(again, "GET", "/api/push/key")).json()) as { publicKey: string }).publicKey).toBe(before);
  }, 60_000);
});
