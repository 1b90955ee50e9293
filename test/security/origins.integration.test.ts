// Issue 4, point 3: origins. socket.io handshakes (polling and websocket, and every later polling request) and
// /ws upgrades with a foreign Origin are refused; the server's own origin and ALLOWED_ORIGINS are accepted;
// state-changing routes refuse a foreign Origin with 403 whatever the content type (cross-site "simple"
// requests such as text/plain included); clients that send no Origin (terminal, scripts) work.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "@/lib/protocol";
import { getMessages } from "../helpers/http";
import { connectOutcome, ioFrom, postFrom, rawRequest } from "../helpers/security";
import { startTestServer, type TestServer, type TestSocket } from "../helpers/test-server";
import { openWs, refusedStatus } from "../helpers/ws-client";
import { dbNumber } from "../helpers/db";

const ALLOWED = ["https://chat.example.com", "http://localhost:3000"];
const PASSWORD = "correct horse battery";
const EVIL = "http://evil.example";

// started while the file is collected: the origin tables below need the server's port
const server: TestServer = await startTestServer({ env: { ALLOWED_ORIGINS: ALLOWED.join(", ") } });
let token: string;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  token = await server.token("origin_user");
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
});
afterAll(async () => {
  await server.close();
});

const port = () => Number(new URL(server.url).port);
/** Origins a browser page elsewhere could send; all must be refused. */
const foreignOrigins = (): string[] => [
  EVIL,
  "null",
  "not a url",
  `http://127.0.0.1:${port() + 1}`, // the server's host on another port is another origin
  "https://chat.example.com.evil.example",
  "https://chat.example.com:8443",
  "http://chat.example.com", // the allowed host over another scheme
];
/** Origins that must be accepted (undefined: no Origin header at all). */
const acceptedOrigins = (): Array<string | undefined> => [server.url, ...ALLOWED, undefined];
const headersFor = (origin: string | undefined): Record<string, string> => (origin ? { origin } : {});
const users = (name: string) => dbNumber(server, "SELECT count(*) FROM User WHERE usernameKey = ?", name.toLowerCase());

function socketFrom(origin: string | undefined, transports: string[]): TestSocket {
  const socket = ioFrom(server.url, undefined, { transports, auth: { token }, extraHeaders: headersFor(origin) });
  sockets.push(socket);
  return socket;
}

const pollingHandshake = (origin: string | undefined) =>
  rawRequest(server.url, "/socket.io/?EIO=4&transport=polling", { headers: headersFor(origin) });

describe("engine.io polling handshake (raw HTTP)", () => {
  it.each(foreignOrigins())("Origin %j → 403, no session id handed out", async (origin) => {
    const res = await pollingHandshake(origin);
    expect(res.status).toBe(403);
    expect(res.body).not.toContain('"sid"');
    expect(res.json<{ message: string }>().message).toMatch(/origin/i);
  });

  it.each(acceptedOrigins())("Origin %j → 200 with an engine.io open packet", async (origin) => {
    const res = await pollingHandshake(origin);
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/^0\{.*"sid":"[^"]+"/);
  });

  it("a session id obtained without an Origin cannot be ridden by a foreign page carrying the victim's cookie", async () => {
    // engine.io checks the Origin on the handshake only; what protects later requests is that the session
    // cookie is read from the handshake request, so a foreign page's cookie never authenticates anyone
    const victim = await server.token("sid_victim");
    const open = await pollingHandshake(undefined);
    expect(open.status).toBe(200);
    const { sid } = JSON.parse(open.body.slice(1)) as { sid: string };
    const path = `/socket.io/?EIO=4&transport=polling&sid=${sid}`;
    const foreign = { origin: EVIL, cookie: `${SESSION_COOKIE}=${victim}` };
    const post = await rawRequest(server.url, path, {
      method: "POST",
      headers: { ...foreign, "content-type": "text/plain;charset=UTF-8" },
      body: "40",
    });
    expect([200, 403]).toContain(post.status);
    const poll = await rawRequest(server.url, path, { headers: foreign });
    expect(poll.body).not.toMatch(/40\{"sid"/);
    if (post.status === 200) expect(poll.body).toContain('44{"message":"unauthorized"}');
  });
});

describe.each([[["websocket"]], [["polling"]]])("socket.io client over %j", (transports) => {
  it.each(foreignOrigins())("refuses Origin %j even with a valid token", async (origin) => {
    const socket = socketFrom(origin, transports);
    expect(await connectOutcome(socket)).toMatch(/^connect_error: /);
    expect(socket.connected).toBe(false);
  });

  it.each(acceptedOrigins())("accepts Origin %j", async (origin) => {
    expect(await connectOutcome(socketFrom(origin, transports))).toBe("connected");
  });
});

describe("/ws upgrade", () => {
  it.each(foreignOrigins())("refuses Origin %j with 403 even with a valid token", async (origin) => {
    expect(await refusedStatus(server.url, { token }, { origin })).toBe(403);
  });

  it.each(acceptedOrigins())("accepts Origin %j", async (origin) => {
    const client = await openWs(server.url, { token }, origin ? { origin } : {});
    try {
      expect((await client.nextOf("history")).type).toBe("history");
    } finally {
      await client.close();
    }
  });
});

describe("state-changing routes with a foreign Origin", () => {
  // a cross-site page can send these without a CORS preflight ("simple requests")
  const simpleTypes = [
    ["text/plain", (b: object) => JSON.stringify(b)],
    ["text/plain;charset=UTF-8", (b: object) => JSON.stringify(b)],
    ["application/x-www-form-urlencoded", (b: object) => new URLSearchParams(b as Record<string, string>).toString()],
    ["multipart/form-data; boundary=x", (b: object) => `--x\r\n${JSON.stringify(b)}\r\n--x--\r\n`],
    ["application/json", (b: object) => JSON.stringify(b)],
  ] as const;

  it.each(simpleTypes)("POST /register as %s → 403, no user created", async (type, encode) => {
    const username = `xsite_${type.replace(/\W+/g, "_").slice(0, 20)}`;
    const res = await postFrom(server.url, "/register", encode({ username, password: PASSWORD }), {
      headers: { origin: EVIL, "content-type": type },
    });
    expect(res.status).toBe(403);
    expect(res.json<{ detail: string }>().detail).toMatch(/cross-origin/i);
    expect(await users(username)).toBe(0);
  });

  it.each(simpleTypes)("POST /login as %s → 403, no cookie, no session", async (type, encode) => {
    const sessions = () => dbNumber(server, "SELECT count(*) FROM Session");
    const before = await sessions();
    const res = await postFrom(server.url, "/login", encode({ username: "origin_user", password: PASSWORD }), {
      headers: { origin: EVIL, "content-type": type },
    });
    expect(res.status).toBe(403);
    expect(res.headers["set-cookie"]).toBeUndefined();
    expect(await sessions()).toBe(before);
  });

  it.each(simpleTypes)("POST /logout as %s with the victim's cookie → 403, the session lives", async (type) => {
    const victim = await server.token("origin_victim");
    const res = await postFrom(server.url, "/logout", "", {
      headers: { origin: EVIL, "content-type": type, cookie: `${SESSION_COOKIE}=${victim}` },
    });
    expect(res.status).toBe(403);
    expect(res.headers["set-cookie"]).toBeUndefined();
    expect((await getMessages(server.url, {}, { token: victim })).status).toBe(200);
  });

  it("the /api aliases are guarded the same way", async () => {
    for (const path of ["/api/register", "/api/login", "/api/logout"]) {
      const res = await postFrom(
        server.url,
        path,
        { username: "alias_x", password: PASSWORD },
        {
          headers: { origin: EVIL, "content-type": "text/plain" },
        },
      );
      expect(res.status, path).toBe(403);
    }
    expect(await users("alias_x")).toBe(0);
  });
});

describe("state-changing routes from accepted origins and from clients without an Origin", () => {
  it.each(acceptedOrigins())("Origin %j: register, login (cookie set) and logout all work", async (origin) => {
    const username = `ok_${(origin ?? "none").replace(/\W+/g, "_").slice(-24)}`;
    const headers = headersFor(origin);
    expect((await postFrom(server.url, "/register", { username, password: PASSWORD }, { headers })).status).toBe(200);
    const login = await postFrom(server.url, "/login", { username, password: PASSWORD }, { headers });
    expect(login.status).toBe(200);
    expect(login.headers["set-cookie"]?.[0]).toMatch(/^chatterbox_session=/);
    const session = login.json<{ token: string }>().token;
    const out = await postFrom(server.url, "/logout", "", {
      headers: { ...headers, authorization: `Bearer ${session}` },
    });
    expect(out.status).toBe(200);
  });
});
