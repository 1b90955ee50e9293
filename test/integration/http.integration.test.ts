// Every HTTP row of SPEC.md, through the real route handlers over real HTTP, on a fresh SQLite file.
import { createHash } from "node:crypto";
import { renameSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "@/lib/protocol";
import type { Identity } from "@/lib/services/auth";
import { body, cookiePair, getMessages, pageIds, rawPost } from "../helpers/http";
import { onPostgres, setReachable } from "../helpers/test-database";
import { startTestServer, type TestServer } from "../helpers/test-server";
import { dbAll, dbContains, dbNumber } from "../helpers/db";

const ALLOWED_ORIGIN = "https://chat.example.com";
const PASSWORD = "correct horse battery";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { ALLOWED_ORIGINS: ALLOWED_ORIGIN } });
});
afterAll(async () => {
  await server.close();
});

const register = (username: string, password = PASSWORD, headers: Record<string, string> = {}) =>
  server.post("/register", { username, password }, headers);
const login = (username: string, password = PASSWORD, headers: Record<string, string> = {}) =>
  server.post("/login", { username, password }, headers);

async function identityOf(token: string): Promise<Identity> {
  const who = await server.services.auth.authenticate(token);
  if (!who) throw new Error("token does not authenticate");
  return who;
}

describe("GET / and /api/status", () => {
  it("answers a non-browser GET / with the seed's status JSON", async () => {
    const res = await fetch(server.url + "/", { headers: { accept: "application/json" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await body(res)).toEqual({ status: "Server is running" });
  });

  it("answers /api/status the same way", async () => {
    const res = await fetch(server.url + "/api/status");
    expect(res.status).toBe(200);
    expect(await body(res)).toEqual({ status: "Server is running" });
  });
});

describe("GET /api/health", () => {
  it("is 200 with the status and database fields while the database answers", async () => {
    const res = await fetch(server.url + "/api/health");
    expect(res.status).toBe(200);
    const b = await body<{ status: string; db: string; uptimeSeconds: number }>(res);
    expect(b.status).toBe("Server is running");
    expect(b.db).toBe("ok");
    expect(b.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(res.headers.get("cache-control")).toMatch(/no-store/);
  });
});

describe("POST /register", () => {
  it("registers a new user", async () => {
    const res = await register("reg_alice");
    expect(res.status).toBe(200);
    expect(await body(res)).toEqual({ message: "User registered successfully" });
    expect(await dbNumber(server, "SELECT count(*) FROM User WHERE usernameKey = 'reg_alice'")).toBe(1);
  });

  it("also answers at /api/register", async () => {
    const res = await server.post("/api/register", { username: "reg_api", password: PASSWORD });
    expect(res.status).toBe(200);
    expect(await body(res)).toEqual({ message: "User registered successfully" });
  });

  it("stores a bcrypt hash, never the password", async () => {
    await register("reg_hash", "hunter2hunter2");
    const [row] = await dbAll<{ passwordHash: string }>(
      server,
      "SELECT passwordHash FROM User WHERE usernameKey = 'reg_hash'",
    );
    expect(row?.passwordHash).toMatch(/^\$2[aby]\$\d\d\$/);
    expect(await dbContains(server, "hunter2hunter2")).toBe(false);
  });

  it("refuses a duplicate username with 400 User already exists, case-insensitively", async () => {
    expect((await register("Reg_Dup")).status).toBe(200);
    for (const again of ["Reg_Dup", "reg_dup", "REG_DUP", "  reg_Dup "]) {
      const res = await register(again, "another password");
      expect(res.status).toBe(400);
      expect(await body(res)).toEqual({ detail: "User already exists" });
    }
    expect(await dbNumber(server, "SELECT count(*) FROM User WHERE usernameKey = 'reg_dup'")).toBe(1);
  });

  it("lets exactly one of several simultaneous registrations of a name win", async () => {
    const results = await Promise.all(["Racer", "racer", "RACER", "racer"].map((n) => register(n)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 400, 400, 400]);
    expect(await dbNumber(server, "SELECT count(*) FROM User WHERE usernameKey = 'racer'")).toBe(1);
  });

  it.each([
    ["a too-short username", { username: "ab", password: PASSWORD }, /username must be at least 3/],
    ["a too-long username", { username: "u".repeat(33), password: PASSWORD }, /username must be at most 32/],
    ["a username with a space", { username: "bad name", password: PASSWORD }, /only letters, digits/],
    ["a username with unicode", { username: "jöse", password: PASSWORD }, /only letters, digits/],
    ["a numeric username", { username: 12345, password: PASSWORD }, /username must be a string/],
    ["a missing username", { password: PASSWORD }, /username/],
    ["a too-short password", { username: "shortpw", password: "1234567" }, /at least 8 bytes/],
    ["a 73-byte password", { username: "longpw", password: "p".repeat(73) }, /at most 72 bytes/],
    ["a 74-byte password of 37 characters", { username: "longpw2", password: "é".repeat(37) }, /72 bytes/],
    ["a missing password", { username: "nopw" }, /password/],
    ["a null password", { username: "nullpw", password: null }, /password must be a string/],
    ["an array body", [], /JSON object/],
    ["a null body", null, /JSON object/],
    ["a string body", "alice", /JSON object/],
  ])("refuses %s with 400/422 and a detail saying what is wrong", async (_what, payload, detail) => {
    const res = await server.post("/register", JSON.stringify(payload));
    expect([400, 422]).toContain(res.status);
    const b = await body<{ detail: string }>(res);
    expect(b.detail).toMatch(detail);
  });

  it("does not create a user for refused input", async () => {
    await server.post("/register", { username: "refused_user", password: "short" });
    expect(await dbNumber(server, "SELECT count(*) FROM User WHERE usernameKey = 'refused_user'")).toBe(0);
  });

  it.each([
    ["malformed JSON", '{"username": "x", "password": '],
    ["an empty body", ""],
    ["plain text", "username=alice&password=secret123"],
  ])("refuses %s with 400", async (_what, raw) => {
    const res = await server.post("/register", raw);
    expect(res.status).toBe(400);
    expect(await body(res)).toEqual({ detail: "Request body must be valid JSON" });
  });

  it("refuses an oversized body (declared length) with 400", async () => {
    const res = await server.post("/register", { username: "biggie", password: PASSWORD, pad: "x".repeat(20_000) });
    expect(res.status).toBe(400);
    expect(await body(res)).toEqual({ detail: "Request body is too large (at most 16384 bytes)" });
  });

  it("refuses an oversized chunked body (no Content-Length) with 400", async () => {
    const chunk = "x".repeat(4096);
    const res = await rawPost(server.url, "/register", [
      '{"username":"chunky","password":"correct horse battery","pad":"',
      chunk,
      chunk,
      chunk,
      chunk,
      chunk,
      '"}',
    ]);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ detail: "Request body is too large (at most 16384 bytes)" });
    expect(await dbNumber(server, "SELECT count(*) FROM User WHERE usernameKey = 'chunky'")).toBe(0);
  });
});

describe("POST /login", () => {
  beforeAll(async () => {
    expect((await register("Login_User")).status).toBe(200);
  });

  it("returns an opaque token with at least 128 bits and sets an HttpOnly SameSite=Lax cookie", async () => {
    const res = await login("Login_User");
    expect(res.status).toBe(200);
    const { token } = await body<{ token: string }>(res);
    expect(typeof token).toBe("string");
    // base64url of random bytes: at least 16 bytes (128 bits); no structure (not a JWT), no user data
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(token, "base64url").length).toBeGreaterThanOrEqual(16);
    expect(token.toLowerCase()).not.toContain("login_user");

    const cookies = res.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith("chatterbox_session="));
    expect(session).toBeDefined();
    const attrs = session!.split(";").map((a) => a.trim().toLowerCase());
    expect(cookiePair(session!)).toBe(`chatterbox_session=${token}`);
    expect(attrs).toContain("httponly");
    expect(attrs).toContain("samesite=lax");
    expect(attrs).toContain("path=/");
    expect(attrs.some((a) => /^max-age=\d+$/.test(a) && Number(a.slice(8)) > 0)).toBe(true);
    // plain http: the cookie must still reach the server
    expect(attrs).not.toContain("secure");
  });

  it("gives a different token on every login, each usable", async () => {
    const a = await server.token("Login_User");
    const b = await server.token("Login_User");
    expect(a).not.toBe(b);
    expect((await getMessages(server.url, {}, { token: a })).status).toBe(200);
    expect((await getMessages(server.url, {}, { token: b })).status).toBe(200);
  });

  it("also answers at /api/login, and the username is case-insensitive", async () => {
    const res = await server.post("/api/login", { username: "login_user", password: PASSWORD });
    expect(res.status).toBe(200);
    const { token } = await body<{ token: string }>(res);
    expect((await identityOf(token)).username).toBe("Login_User");
  });

  it("refuses a wrong password and an unknown user alike: 401 Invalid credentials", async () => {
    const wrong = await login("Login_User", "not the password");
    const unknown = await login("nobody_here", PASSWORD);
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await body(wrong)).toEqual({ detail: "Invalid credentials" });
    expect(await body(unknown)).toEqual({ detail: "Invalid credentials" });
    expect(wrong.headers.getSetCookie()).toEqual([]);
  });

  it("refuses invalid input with 400/422 and a detail", async () => {
    const res = await server.post("/login", { username: "Login_User" });
    expect([400, 422]).toContain(res.status);
    expect((await body<{ detail: string }>(res)).detail).toMatch(/password/);
    const malformed = await server.post("/login", "{nope");
    expect(malformed.status).toBe(400);
  });

  it("uses all 72 bytes of a multibyte password and refuses a 73-byte one instead of truncating", async () => {
    const pw = "€".repeat(23) + "abx"; // 69 + 3 = 72 bytes in 26 characters
    expect(Buffer.byteLength(pw)).toBe(72);
    expect((await register("multibyte", pw)).status).toBe(200);
    expect((await login("multibyte", pw)).status).toBe(200);
    // differs only in the 72nd byte: bcrypt must have read it
    expect((await login("multibyte", pw.slice(0, -1) + "y")).status).toBe(401);
    const tooLong = await login("multibyte", pw + "z");
    expect([400, 422]).toContain(tooLong.status);
    expect((await body<{ detail: string }>(tooLong)).detail).toMatch(/72 bytes/);
  });

  it("stores the token only as a hash", async () => {
    const res = await login("Login_User");
    const { token } = await body<{ token: string }>(res);
    const sessions = await dbAll<Record<string, unknown>>(server, "SELECT * FROM Session");
    expect(sessions.length).toBeGreaterThan(0);
    for (const row of sessions) {
      for (const value of Object.values(row)) expect(String(value)).not.toContain(token);
    }
    const sha = createHash("sha256").update(token).digest("hex");
    expect(sessions.some((r) => r.tokenHash === sha)).toBe(true);
    // nowhere on disk either: not in the database file, nor its write-ahead log
    expect(await dbContains(server, token)).toBe(false);
  });

  it("throttles guessing: after 10 attempts, 429 with Retry-After, even with the right password", async () => {
    expect((await register("throttled")).status).toBe(200);
    for (let i = 0; i < 10; i++) {
      const res = await login("throttled", `wrong password ${i}`);
      expect(res.status).toBe(401);
    }
    const blocked = await login("throttled", "wrong password 10");
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await body<{ detail: string }>(blocked)).detail).toMatch(/too many/i);

    const right = await login("throttled", PASSWORD);
    expect(right.status).toBe(429);
    expect(right.headers.get("retry-after")).not.toBeNull();

    // another account from the same address is not locked out
    expect((await login("Login_User")).status).toBe(200);
  });
});

describe("GET /api/messages", () => {
  let token: string;
  let sent: Message[];
  beforeAll(async () => {
    token = await server.token("reader");
    const who = await identityOf(token);
    sent = [];
    for (let i = 1; i <= 60; i++) sent.push(await server.services.messages.send(who, { content: `page msg ${i}` }));
  });
  const sentIds = () => sent.map((m) => m.id);

  it("refuses a request without a token, with a bad token or a non-Bearer scheme: 401 with a detail", async () => {
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: "Bearer not-a-real-token" },
      { authorization: `Basic ${token}` },
      { authorization: `Bearer${token}` },
      { cookie: "chatterbox_session=forged" },
    ];
    for (const headers of attempts) {
      const res = await getMessages(server.url, {}, { headers });
      expect(res.status).toBe(401);
      expect(typeof (await body<{ detail: unknown }>(res)).detail).toBe("string");
    }
  });

  it("gives the latest 50 by default, ascending by id", async () => {
    expect(await pageIds(server.url, {}, token)).toEqual(sentIds().slice(10));
  });

  it("returns complete Message objects with ISO 8601 UTC timestamps", async () => {
    const res = await getMessages(server.url, { limit: 1 }, { token });
    const { messages } = await body<{ messages: Message[] }>(res);
    expect(messages).toHaveLength(1);
    const m = messages[0]!;
    expect(m).toMatchObject({ id: sent.at(-1)!.id, username: "reader", content: "page msg 60", room: "general" });
    expect(Number.isInteger(m.id)).toBe(true);
    expect(m.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(new Date(m.timestamp).toISOString()).toBe(m.timestamp);
  });

  it("after=<id> gives the messages strictly after it, ascending, at most limit", async () => {
    const ids = sentIds();
    expect(await pageIds(server.url, { after: ids[4]!, limit: 5 }, token)).toEqual(ids.slice(5, 10));
    expect(await pageIds(server.url, { after: ids[0]! }, token)).toEqual(ids.slice(1, 51));
    expect(await pageIds(server.url, { after: ids.at(-1)! }, token)).toEqual([]);
    expect(await pageIds(server.url, { after: ids.at(-3)!, limit: 10 }, token)).toEqual(ids.slice(-2));
  });

  it("before=<id> gives the limit messages just before it, ascending", async () => {
    const ids = sentIds();
    expect(await pageIds(server.url, { before: ids[20]!, limit: 5 }, token)).toEqual(ids.slice(15, 20));
    expect(await pageIds(server.url, { before: ids.at(-1)! }, token)).toEqual(ids.slice(9, 59));
    expect(await pageIds(server.url, { before: ids[0]! }, token)).toEqual([]);
  });

  it("pages backwards without gaps or overlaps", async () => {
    const seen: number[] = [];
    let cursor: number | undefined;
    for (;;) {
      const page = await pageIds(server.url, cursor === undefined ? { limit: 7 } : { before: cursor, limit: 7 }, token);
      if (page.length === 0) break;
      seen.unshift(...page);
      cursor = page[0];
    }
    expect(seen.slice(-60)).toEqual(sentIds());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("allows limit up to 500", async () => {
    const ids = await pageIds(server.url, { after: 0, limit: 500 }, token);
    expect(ids.slice(-60)).toEqual(sentIds());
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it.each([
    [{ limit: 501 }, /at most 500/],
    [{ limit: 0 }, /at least 1/],
    [{ limit: "many" }, /number/],
    [{ after: 1, before: 5 }, /one of after, before or around/],
    [{ after: "abc" }, /message id/],
    [{ before: -1 }, /≥ 0/],
  ])("refuses %j with 400/422 and a detail", async (query, detail) => {
    const res = await getMessages(server.url, query, { token });
    expect([400, 422]).toContain(res.status);
    expect((await body<{ detail: string }>(res)).detail).toMatch(detail);
  });
});

describe("POST /logout and the session cookie", () => {
  it("logs out a Bearer token: 200, cookie cleared, the token refused at once", async () => {
    const token = await server.token("leaver");
    expect((await getMessages(server.url, {}, { token })).status).toBe(200);
    const res = await server.post("/logout", {}, { authorization: `Bearer ${token}` });
    expect([200, 204]).toContain(res.status);
    const cleared = res.headers.getSetCookie().find((c) => c.startsWith("chatterbox_session="));
    expect(cleared).toMatch(/max-age=0/i);
    expect((await getMessages(server.url, {}, { token })).status).toBe(401);
    // a second logout with the dead token is refused
    expect((await server.post("/logout", {}, { authorization: `Bearer ${token}` })).status).toBe(401);
    expect(await server.services.auth.authenticate(token)).toBeNull();
  });

  it("also answers at /api/logout", async () => {
    const token = await server.token("leaver2");
    const res = await server.post("/api/logout", {}, { authorization: `Bearer ${token}` });
    expect([200, 204]).toContain(res.status);
    expect((await getMessages(server.url, {}, { token })).status).toBe(401);
  });

  it("ends only that session: the same user's other session keeps working", async () => {
    const a = await server.token("two_sessions");
    const b = await server.token("two_sessions");
    expect((await server.post("/logout", {}, { authorization: `Bearer ${a}` })).status).toBe(200);
    expect((await getMessages(server.url, {}, { token: a })).status).toBe(401);
    expect((await getMessages(server.url, {}, { token: b })).status).toBe(200);
  });

  it("authenticates /api/messages and /logout with the login cookie alone", async () => {
    expect((await register("cookie_user")).status).toBe(200);
    const res = await login("cookie_user");
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith("chatterbox_session="));
    const cookie = cookiePair(setCookie!);

    const page = await getMessages(server.url, { limit: 1 }, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(Array.isArray((await body<{ messages: unknown }>(page)).messages)).toBe(true);

    const out = await server.post("/logout", {}, { cookie });
    expect([200, 204]).toContain(out.status);
    expect((await getMessages(server.url, {}, { headers: { cookie } })).status).toBe(401);
  });

  it("refuses a logout without any token with 401", async () => {
    const res = await server.post("/logout", {});
    expect(res.status).toBe(401);
    expect(typeof (await body<{ detail: unknown }>(res)).detail).toBe("string");
  });
});

describe("cross-origin POSTs", () => {
  const FOREIGN = "https://evil.example";

  it("refuses /register from a foreign Origin with 403 and creates nothing", async () => {
    const res = await register("csrf_victim", PASSWORD, { origin: FOREIGN });
    expect(res.status).toBe(403);
    expect(typeof (await body<{ detail: unknown }>(res)).detail).toBe("string");
    expect(await dbNumber(server, "SELECT count(*) FROM User WHERE usernameKey = 'csrf_victim'")).toBe(0);
  });

  it("refuses /login from a foreign Origin with 403 and sets no cookie", async () => {
    const res = await login("Login_User", PASSWORD, { origin: FOREIGN });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("refuses /logout from a foreign Origin with 403, leaving the session alive", async () => {
    const token = await server.token("csrf_logout");
    const res = await server.post("/logout", {}, { authorization: `Bearer ${token}`, origin: FOREIGN });
    expect(res.status).toBe(403);
    expect((await getMessages(server.url, {}, { token })).status).toBe(200);
  });

  it.each(["null", "not a url", "http://127.0.0.1:1", "https://chat.example.com.evil.example"])(
    "refuses the Origin %j",
    async (origin) => {
      expect((await register("csrf_odd", PASSWORD, { origin })).status).toBe(403);
    },
  );

  it("accepts no Origin (scripts, terminal), the server's own origin and ALLOWED_ORIGINS", async () => {
    expect((await register("origin_none")).status).toBe(200);
    expect((await register("origin_self", PASSWORD, { origin: server.url })).status).toBe(200);
    expect((await register("origin_allowed", PASSWORD, { origin: ALLOWED_ORIGIN })).status).toBe(200);
  });
});

describe("restart on the same database file", () => {
  it("keeps sessions, users and messages", async () => {
    const token = await server.token("survivor");
    const message = await server.services.messages.send(await identityOf(token), { content: "before restart" });
    const dir = server.dir;

    await server.close({ keepData: true });
    server = await startTestServer({ dir, env: { ALLOWED_ORIGINS: ALLOWED_ORIGIN } });

    const res = await getMessages(server.url, { after: message.id - 1 }, { token });
    expect(res.status).toBe(200);
    expect((await body<{ messages: Message[] }>(res)).messages).toEqual([message]);
    expect((await login("survivor")).status).toBe(200);
    expect((await register("SURVIVOR")).status).toBe(400);
    expect((await server.post("/logout", {}, { authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await getMessages(server.url, {}, { token })).status).toBe(401);
  });
});

// last: it takes the database away from this file's server
describe("GET /api/health when the database is unreachable", () => {
  // on PostgreSQL the outage is the database refusing connections (below): the file cannot be moved away
  it.skipIf(onPostgres)("is 503, and 200 again once the database is back", async () => {
    const dir = server.dir;
    const away = `${dir}-away`;
    // drop Prisma's connection and move the database directory: the next query cannot reopen it
    await server.db.close();
    renameSync(dir, away);
    try {
      const down = await fetch(server.url + "/api/health");
      expect(down.status).toBe(503);
      const b = await body<{ status: string; db: string }>(down);
      expect(b.db).toBe("down");
      expect(b.status).not.toBe("Server is running");
    } finally {
      renameSync(away, dir);
    }
    const up = await fetch(server.url + "/api/health");
    expect(up.status).toBe(200);
    expect((await body<{ db: string }>(up)).db).toBe("ok");
  });
});

describe.runIf(onPostgres)("GET /api/health when PostgreSQL is unreachable", () => {
  it("is 503 while the database refuses connections, and 200 again once it takes them", async () => {
    await setReachable(server.databaseUrl, false);
    try {
      const down = await fetch(server.url + "/api/health");
      expect(down.status).toBe(503);
      expect((await body<{ db: string }>(down)).db).toBe("down");
    } finally {
      await setReachable(server.databaseUrl, true);
    }
    const up = await fetch(server.url + "/api/health");
    expect(up.status).toBe(200);
    expect((await body<{ db: string }>(up)).db).toBe("ok");
  });
});
