// DNS rebinding (SPEC.md "Integrations"): requests, socket.io and /ws handshakes whose Host is a name the
// operator has not named get 403 with a body naming ALLOWED_HOSTS; localhost, *.localhost, IP addresses,
// ALLOWED_HOSTS (exact and *.domain) and ALLOWED_ORIGINS' hosts are served. Behind a trusted proxy its
// X-Forwarded-Host is the name checked; from anyone else that header counts for nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createdHookResponseSchema } from "@/lib/protocol";
import { connectOutcome, ioFrom, rawRequest } from "../helpers/security";
import { startTestServer, type TestServer } from "../helpers/test-server";
import { openWs, refusedStatus } from "../helpers/ws-client";

const PROXY = "127.0.0.77";
let server: TestServer;
let token: string;
let port: string;

beforeAll(async () => {
  server = await startTestServer({
    env: {
      ALLOWED_HOSTS: "chat.example.com, *.corp.example",
      ALLOWED_ORIGINS: "https://origin-host.example",
      TRUST_PROXY: PROXY,
    },
  });
  token = await server.token("rebind_alice");
  port = new URL(server.url).port;
});
afterAll(async () => {
  await server.close();
});

const ALLOWED = [
  "127.0.0.1",
  "localhost",
  "LOCALHOST.",
  "app.localhost",
  "[::1]",
  "10.1.2.3",
  "chat.example.com",
  "a.b.corp.example",
  "origin-host.example",
];
const REFUSED = [
  "evil.example",
  "chat.example.com.evil.example",
  "corp.example",
  "localhost.evil.example",
  "1.2.3.4.nip.io",
];

const withPort = (host: string) => `${host}:${port}`;
const get = (host: string, headers: Record<string, string> = {}, localAddress?: string) =>
  rawRequest(server.url, "/api/rooms", {
    headers: { host, authorization: `Bearer ${token}`, ...headers },
    ...(localAddress ? { localAddress } : {}),
  });

describe("HTTP", () => {
  it.each(ALLOWED)("Host %s is served", async (host) => {
    expect((await get(withPort(host))).status).toBe(200);
  });

  it.each(REFUSED)("Host %s gets 403 naming ALLOWED_HOSTS", async (host) => {
    const res = await get(withPort(host));
    expect(res.status).toBe(403);
    expect(res.json<{ detail: string }>().detail).toMatch(new RegExp(`"${host.replace(/\./g, "\\.")}".*ALLOWED_HOSTS`));
  });

  it("a rebound page cannot register or log in either", async () => {
    const res = await rawRequest(server.url, "/register", {
      method: "POST",
      headers: { host: withPort("evil.example"), origin: "http://evil.example", "content-type": "application/json" },
      body: JSON.stringify({ username: "rebound", password: "correct horse battery" }),
    });
    expect(res.status).toBe(403);
  });
});

describe("socket.io and /ws", () => {
  it("socket.io: refused for a foreign Host, connected for an allowed one", async () => {
    const refused = ioFrom(server.url, undefined, {
      auth: { token },
      transports: ["websocket"],
      extraHeaders: { host: withPort("evil.example") },
    });
    expect(await connectOutcome(refused)).toMatch(/^connect_error/);
    // the polling handshake (socket.io-client's XHR will not set Host, so by hand)
    const polling = (host: string) =>
      rawRequest(server.url, "/socket.io/?EIO=4&transport=polling", { headers: { host } });
    expect((await polling(withPort("evil.example"))).status).toBe(403);
    expect((await polling(withPort("chat.example.com"))).body).toMatch(/"sid"/);
    const allowed = ioFrom(server.url, undefined, {
      auth: { token },
      transports: ["websocket"],
      extraHeaders: { host: withPort("chat.example.com") },
    });
    expect(await connectOutcome(allowed)).toBe("connected");
    allowed.disconnect();
  });

  it("/ws: 403 for a foreign Host, open for an allowed one", async () => {
    expect(await refusedStatus(server.url, { token }, { headers: { host: withPort("evil.example") } })).toBe(403);
    const ws = await openWs(server.url, { token }, { headers: { host: withPort("x.localhost") } });
    expect((await ws.nextOf("history")).type).toBe("history");
    await ws.close();
  });
});

describe("behind a trusted proxy", () => {
  it("its X-Forwarded-Host is the name checked", async () => {
    expect((await get("127.0.0.1", { "x-forwarded-host": "evil.example" }, PROXY)).status).toBe(403);
    expect((await get("evil.example", { "x-forwarded-host": "chat.example.com" }, PROXY)).status).toBe(200);
    expect((await get("127.0.0.1", {}, PROXY)).status).toBe(200);
  });

  it("from anyone else X-Forwarded-Host counts for nothing", async () => {
    expect((await get(withPort("evil.example"), { "x-forwarded-host": "chat.example.com" })).status).toBe(403);
    expect((await get(withPort("127.0.0.1"), { "x-forwarded-host": "evil.example" })).status).toBe(200);
  });

  it("a hook's URL carries the name and scheme the proxy was asked for", async () => {
    const res = await rawRequest(server.url, "/api/hooks", {
      method: "POST",
      localAddress: PROXY,
      headers: {
        host: "127.0.0.1",
        "x-forwarded-host": "chat.example.com",
        "x-forwarded-proto": "https",
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ room: "general", name: "proxied" }),
    });
    expect(res.status).toBe(201);
    expect(createdHookResponseSchema.parse(res.json()).hook.url).toMatch(/^https:\/\/chat\.example\.com\/hooks\//);
  });
});
