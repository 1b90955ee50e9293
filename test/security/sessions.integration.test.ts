// Issue 4, point 1 (sessions) and the session cookie: where tokens come from and how they are stored, a new
// token per login, the __Host- cookie over HTTPS, and logout ending every socket of exactly that session on
// both transports. (Expiry and sliding, which need a tiny SESSION_TTL, are in session-expiry.)
import { createHash } from "node:crypto";
import type * as NodeCrypto from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { SECURE_SESSION_COOKIE, SESSION_COOKIE, type Message, type WsServerFrame } from "@/lib/protocol";
import { getMessages } from "../helpers/http";
import { connectOutcome, ioFrom, postFrom, settlesWithin, type RawResponse } from "../helpers/security";
import { ackedMessage, record, send, waitConnected, waitUntil } from "../helpers/socket-utils";
import { nextEvent, startTestServer, type TestServer, type TestSocket } from "../helpers/test-server";
import { openWs, refusedStatus, type WsClient } from "../helpers/ws-client";
import { dbAll, dbContains } from "../helpers/db";

// Every buffer node:crypto's randomBytes hands out in this process: the login token must be one of them.
const randomOutputs = vi.hoisted(() => [] as Buffer[]);
vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof NodeCrypto>();
  const randomBytes = ((size: number, cb?: (err: Error | null, buf: Buffer) => void) => {
    if (cb) return actual.randomBytes(size, cb);
    const buf = actual.randomBytes(size);
    randomOutputs.push(Buffer.from(buf));
    return buf;
  }) as typeof actual.randomBytes;
  return { ...actual, randomBytes, default: { ...actual, randomBytes } };
});

const PASSWORD = "correct horse battery";
const HTTPS = { "x-forwarded-proto": "https" };
let server: TestServer;
const sockets: TestSocket[] = [];
const wsClients: WsClient[] = [];

beforeAll(async () => {
  // behind a TLS-terminating proxy on this machine: its X-Forwarded-Proto counts (test/security/proxy-*.ts)
  server = await startTestServer({ env: { TRUST_PROXY: "true" } });
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await Promise.all(wsClients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await server.close();
});

async function registered(username: string): Promise<void> {
  const res = await postFrom(server.url, "/register", { username, password: PASSWORD });
  expect(res.status).toBe(200);
}

function login(username: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return postFrom(server.url, "/login", { username, password: PASSWORD }, { headers });
}

const setCookies = (res: RawResponse): string[] => res.headers["set-cookie"] ?? [];
const attributes = (cookie: string) =>
  cookie
    .split(";")
    .slice(1)
    .map((a) => a.trim().toLowerCase());

function socketWith(opts: Parameters<typeof ioFrom>[2]): TestSocket {
  const socket = ioFrom(server.url, undefined, opts);
  sockets.push(socket);
  return socket;
}

async function wsWith(token: string): Promise<WsClient> {
  const client = await openWs(server.url, { token });
  wsClients.push(client);
  await client.nextOf("history");
  return client;
}

describe("session tokens", () => {
  const COUNT = 20;
  let tokens: string[];

  beforeAll(async () => {
    await registered("many_logins");
    randomOutputs.length = 0;
    // one after another: concurrent attempts are counted by the login throttle before any of them succeeds
    tokens = [];
    for (let i = 0; i < COUNT; i++) {
      const res = await login("many_logins");
      expect(res.status).toBe(200);
      tokens.push(res.json<{ token: string }>().token);
    }
  });

  it(`are ${COUNT} distinct base64url strings of at least 128 bits, with no shared prefix`, () => {
    expect(new Set(tokens).size).toBe(COUNT);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{22,}$/);
      expect(Buffer.from(token, "base64url").length).toBeGreaterThanOrEqual(16);
      expect(Buffer.from(token, "base64url").toString("base64url")).toBe(token);
    }
    // no counter, timestamp or user id at the front: even the first 64 bits never repeat
    expect(new Set(tokens.map((t) => t.slice(0, 11))).size).toBe(COUNT);
    // the bytes look uniform: 32 × ≥16 random bytes cover most of the 256 byte values
    const bytes = Buffer.concat(tokens.map((t) => Buffer.from(t, "base64url")));
    expect(new Set(bytes).size).toBeGreaterThan(200);
  });

  it("are exactly the output of node:crypto's CSPRNG (randomBytes), ≥16 bytes each", () => {
    const fromCsprng = new Set(randomOutputs.filter((b) => b.length >= 16).map((b) => b.toString("base64url")));
    for (const token of tokens) expect(fromCsprng.has(token)).toBe(true);
  });

  it("are stored only as their SHA-256: one row per login, no token anywhere in the database files", async () => {
    const rows = await dbAll<{ tokenHash: string }>(
      server,
      "SELECT s.tokenHash FROM Session s JOIN User u ON u.id = s.userId WHERE u.usernameKey = 'many_logins'",
    );
    const expected = tokens.map((t) => createHash("sha256").update(t).digest("hex")).sort();
    expect(rows.map((r) => r.tokenHash).sort()).toEqual(expected);
    for (const row of rows) expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    for (const token of tokens) expect(await dbContains(server, token)).toBe(false);
  });

  it("a new token at every login leaves the older ones valid until they are logged out", async () => {
    const [first, second, third] = tokens as [string, string, string];
    for (const t of [first, second, third]) expect((await getMessages(server.url, {}, { token: t })).status).toBe(200);
    const out = await postFrom(server.url, "/logout", "", { headers: { authorization: `Bearer ${second}` } });
    expect(out.status).toBe(200);
    expect((await getMessages(server.url, {}, { token: second })).status).toBe(401);
    expect((await getMessages(server.url, {}, { token: first })).status).toBe(200);
    expect((await getMessages(server.url, {}, { token: third })).status).toBe(200);
  });
});

describe("the session cookie", () => {
  beforeAll(async () => {
    await registered("cookie_user");
  });

  it("over plain http: chatterbox_session, HttpOnly, SameSite=Lax, Path=/, Max-Age = SESSION_TTL, no Secure, no Domain", async () => {
    const res = await login("cookie_user");
    const cookies = setCookies(res);
    expect(cookies).toHaveLength(1);
    const [cookie] = cookies as [string];
    expect(cookie.startsWith(`${SESSION_COOKIE}=${res.json<{ token: string }>().token};`)).toBe(true);
    const attrs = attributes(cookie);
    expect(attrs).toEqual(expect.arrayContaining(["httponly", "samesite=lax", "path=/", "max-age=2592000"]));
    expect(attrs).not.toContain("secure");
    expect(attrs.some((a) => a.startsWith("domain"))).toBe(false);
  });

  describe("over HTTPS (X-Forwarded-Proto: https, as behind a TLS proxy)", () => {
    let token: string;
    let cookie: string;

    beforeAll(async () => {
      const res = await login("cookie_user", HTTPS);
      expect(res.status).toBe(200);
      token = res.json<{ token: string }>().token;
      const cookies = setCookies(res);
      expect(cookies).toHaveLength(1);
      cookie = cookies[0]!;
    });

    it("is __Host-chatterbox_session with Secure, HttpOnly, SameSite=Lax, Path=/ and no Domain", () => {
      expect(SECURE_SESSION_COOKIE).toBe("__Host-chatterbox_session");
      expect(cookie.startsWith(`__Host-chatterbox_session=${token};`)).toBe(true);
      const attrs = attributes(cookie);
      expect(attrs).toEqual(expect.arrayContaining(["secure", "httponly", "samesite=lax", "path=/"]));
      expect(attrs.some((a) => a.startsWith("domain"))).toBe(false);
    });

    it("authenticates GET /api/messages on its own", async () => {
      const ok = await getMessages(server.url, {}, { headers: { cookie: `${SECURE_SESSION_COOKIE}=${token}` } });
      expect(ok.status).toBe(200);
      expect(Array.isArray(((await ok.json()) as { messages: Message[] }).messages)).toBe(true);
    });

    it.each([[["websocket"]], [["polling"]]])("authenticates a socket.io handshake over %j", async (transports) => {
      const socket = socketWith({ transports, extraHeaders: { cookie: `${SECURE_SESSION_COOKIE}=${token}` } });
      expect(await connectOutcome(socket)).toBe("connected");
      expect(ackedMessage(await send(socket, { content: `via __Host- over ${transports[0]}` })).username).toBe(
        "cookie_user",
      );
    });

    it("is preferred over a stale chatterbox_session cookie sent beside it", async () => {
      const socket = socketWith({
        transports: ["websocket"],
        extraHeaders: { cookie: `${SESSION_COOKIE}=stale-token; ${SECURE_SESSION_COOKIE}=${token}` },
      });
      expect(await connectOutcome(socket)).toBe("connected");
    });

    it("logout with it clears both cookie names (the __Host- one Secure, Path=/) and ends the session", async () => {
      const own = await login("cookie_user", HTTPS);
      const ownToken = own.json<{ token: string }>().token;
      const out = await postFrom(server.url, "/logout", "", {
        headers: { ...HTTPS, cookie: `${SECURE_SESSION_COOKIE}=${ownToken}` },
      });
      expect(out.status).toBe(200);
      const cleared = setCookies(out);
      const host = cleared.find((c) => c.startsWith(`${SECURE_SESSION_COOKIE}=;`));
      const plain = cleared.find((c) => c.startsWith(`${SESSION_COOKIE}=;`));
      expect(host).toBeDefined();
      expect(plain).toBeDefined();
      expect(attributes(host!)).toEqual(expect.arrayContaining(["secure", "path=/", "max-age=0", "httponly"]));
      expect(attributes(host!).some((a) => a.startsWith("domain"))).toBe(false);
      expect(attributes(plain!)).toEqual(expect.arrayContaining(["path=/", "max-age=0"]));
      const after = await getMessages(server.url, {}, { headers: { cookie: `${SECURE_SESSION_COOKIE}=${ownToken}` } });
      expect(after.status).toBe(401);
    });
  });
});

describe("logout across transports", () => {
  it("closes that session's socket.io (websocket and polling) and /ws sockets within 1 s; the other session's stay", async () => {
    await registered("leaver");
    const resA = await login("leaver");
    const tokenA = resA.json<{ token: string }>().token;
    const cookieA = `${SESSION_COOKIE}=${tokenA}`;
    const tokenB = (await login("leaver")).json<{ token: string }>().token;

    const aWebsocket = socketWith({ transports: ["websocket"], auth: { token: tokenA } });
    const aPolling = socketWith({ transports: ["polling"], extraHeaders: { cookie: cookieA } });
    const bSocket = socketWith({ transports: ["websocket"], auth: { token: tokenB } });
    for (const s of [aWebsocket, aPolling, bSocket]) expect(await connectOutcome(s)).toBe("connected");
    const [aWs, bWs] = [await wsWith(tokenA), await wsWith(tokenB)];
    const bSeen = record(bSocket, "message:new");
    let bDropped = false;
    bSocket.on("disconnect", () => (bDropped = true));

    const gone = [
      new Promise((r) => aWebsocket.once("disconnect", r)),
      new Promise((r) => aPolling.once("disconnect", r)),
      aWs.closed,
    ];
    const started = Date.now();
    // the web UI's way: the cookie alone, no Authorization header
    const out = await postFrom(server.url, "/logout", "", { headers: { cookie: cookieA } });
    expect(out.status).toBe(200);
    const closedInTime = await Promise.all(gone.map((p) => settlesWithin(p, 1000 - (Date.now() - started))));
    expect(closedInTime).toEqual([true, true, true]);
    expect((await aWs.closed).code).toBe(1008);

    // session B is untouched on both transports
    expect(bDropped).toBe(false);
    expect(bSocket.connected).toBe(true);
    expect(bWs.ws.readyState).toBe(bWs.ws.OPEN);
    const ok = ackedMessage(await send(bSocket, { content: "session B lives" }));
    await waitUntil(() => bSeen.some((m) => m.id === ok.id), 2000, "B's own message:new");
    await bWs.next((f: WsServerFrame) => f.type === "message" && f.content === "session B lives");

    // and A cannot come back on any transport
    expect(await connectOutcome(socketWith({ transports: ["websocket"], auth: { token: tokenA } }))).toBe(
      "connect_error: unauthorized",
    );
    expect(await refusedStatus(server.url, { token: tokenA })).toBe(401);
  });

  it("a second logout of the same token is 401 and changes nothing", async () => {
    const token = await server.token("double_logout");
    const other = await server.token("double_logout");
    const socket = server.connect({ token: other });
    const history = nextEvent(socket, "history");
    await waitConnected(socket);
    await history;
    const auth = { authorization: `Bearer ${token}` };
    expect((await postFrom(server.url, "/logout", "", { headers: auth })).status).toBe(200);
    const again = await postFrom(server.url, "/logout", "", { headers: auth });
    expect(again.status).toBe(401);
    expect(typeof again.json<{ detail: unknown }>().detail).toBe("string");
    expect(socket.connected).toBe(true);
  });
});
