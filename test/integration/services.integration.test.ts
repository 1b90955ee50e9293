// The services (lib/services) directly over a fresh database (a SQLite file, or PostgreSQL under
// TEST_DATABASE=postgres): auth, sessions (expiry, sliding, revocation), throttling and message storage (ids,
// idempotency under concurrency).
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { isAppError, type AppError } from "@/lib/errors";
import type { DataLayer } from "@/lib/db/data-layer";
import { openDatabase } from "@/lib/db/open";
import type { Message, RoomSummary } from "@/lib/protocol";
import { createServices, type Services } from "@/lib/services";
import { hashToken, type Identity } from "@/lib/services/auth";
import { dbAll, dbContains, dbNumber, type HasDatabase } from "../helpers/db";
import { sqliteDate } from "../helpers/sqlite";
import { dropTestDatabase, testDatabaseUrl } from "../helpers/test-database";

const TTL = 100; // seconds
const PASSWORD = "correct horse battery";

let dir: string;
let store: HasDatabase;
let db: DataLayer;
let services: Services;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "chatterbox-services-"));
  store = { databasePath: path.join(dir, "test.db"), databaseUrl: await testDatabaseUrl(dir) };
  db = await openDatabase(store.databaseUrl);
  // cost 4 keeps the tests fast; the config layer is what enforces ≥ 10 in a real server
  services = createServices(db, {
    BCRYPT_COST: 4,
    SESSION_TTL: TTL,
    THROTTLE_LOGINS: 10,
    THROTTLE_REGISTRATIONS: 1000,
    THROTTLE_MESSAGES: 10_000,
    THROTTLE_CONNECTIONS: 10_000,
    REGISTRATION: "open",
    PUSH_ALLOWED_ORIGINS: [],
    VAPID_SUBJECT: "mailto:test@chatterbox.invalid",
    uploadDir: path.join(dir, "uploads"),
    UPLOAD_MAX_BYTES: 1024 * 1024,
    UPLOAD_QUOTA_BYTES: 0,
    UPLOAD_MAX_PIXELS: 1_000_000,
    UPLOAD_UNSENT_TTL: 3600,
    UPLOAD_SWEEP_INTERVAL: 3600,
  });
});
afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => {
  await services.close();
  await db.close();
  await dropTestDatabase(store.databaseUrl);
  rmSync(dir, { recursive: true, force: true });
});

/** The AppError a promise rejects with (fails the test if it resolves or throws something else). */
async function appError(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (isAppError(err)) return err;
    throw err;
  }
  throw new Error("expected an AppError");
}

async function user(username: string): Promise<{ token: string; who: Identity }> {
  await services.auth.register({ username, password: PASSWORD });
  const { token } = await services.auth.login({ username, password: PASSWORD }, `ip-${username}`);
  const who = await services.auth.authenticate(token);
  if (!who) throw new Error("fresh token does not authenticate");
  return { token, who };
}

const sessionExpiry = async (token: string) => {
  const [row] = await dbAll<{ expiresAt: unknown }>(
    store,
    "SELECT expiresAt FROM Session WHERE tokenHash = ?",
    hashToken(token),
  );
  return row ? sqliteDate(row.expiresAt).getTime() : undefined;
};

/** Freezes Date (only Date: timers and I/O keep running) at `iso`. */
function at(iso: string | number): void {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(iso));
}

describe("auth: register, login, authenticate, logout", () => {
  it("registers, logs in and authenticates with the canonical username", async () => {
    await services.auth.register({ username: "Sam.Sung", password: PASSWORD });
    const before = Date.now();
    const { token, expiresAt } = await services.auth.login({ username: "sam.sung", password: PASSWORD });
    expect(expiresAt.getTime()).toBeGreaterThanOrEqual(before + TTL * 1000);
    expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + TTL * 1000);
    const who = await services.auth.authenticate(token);
    expect(who).toEqual({
      sessionId: expect.any(Number) as number,
      userId: expect.any(Number) as number,
      username: "Sam.Sung",
      // the first account of the database
      admin: true,
    });
  });

  it("stores a bcrypt hash at the configured cost and the token only as its SHA-256", async () => {
    const { token } = await user("hashy");
    const [u] = await dbAll<{ passwordHash: string }>(
      store,
      "SELECT passwordHash FROM User WHERE usernameKey = 'hashy'",
    );
    expect(u?.passwordHash).toMatch(/^\$2[aby]\$04\$/);
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(await dbNumber(store, "SELECT count(*) FROM Session WHERE tokenHash = ?", hashToken(token))).toBe(1);
    expect(await dbContains(store, token)).toBe(false);
    expect(await dbContains(store, PASSWORD)).toBe(false);
  });

  it("gives distinct ≥128-bit tokens per login", async () => {
    await services.auth.register({ username: "many_logins", password: PASSWORD });
    const tokens = await Promise.all(
      Array.from({ length: 5 }, () => services.auth.login({ username: "many_logins", password: PASSWORD })),
    );
    const values = tokens.map((t) => t.token);
    expect(new Set(values).size).toBe(5);
    for (const t of values) expect(Buffer.from(t, "base64url").length).toBeGreaterThanOrEqual(16);
  });

  it("refuses a duplicate username case-insensitively with conflict / User already exists", async () => {
    await services.auth.register({ username: "Dupe", password: PASSWORD });
    for (const username of ["Dupe", "dupe", "DUPE"]) {
      const err = await appError(services.auth.register({ username, password: "other password" }));
      expect(err.code).toBe("conflict");
      expect(err.detail).toBe("User already exists");
    }
  });

  it("refuses a wrong password and an unknown user with the same unauthorized error", async () => {
    await services.auth.register({ username: "guarded", password: PASSWORD });
    const wrong = await appError(services.auth.login({ username: "guarded", password: "not it at all" }, "ip-a"));
    const unknown = await appError(services.auth.login({ username: "ghost_user", password: PASSWORD }, "ip-a"));
    for (const err of [wrong, unknown]) {
      expect(err.code).toBe("unauthorized");
      expect(err.detail).toBe("Invalid credentials");
    }
  });

  it.each([undefined, null, "", "garbage", "x".repeat(43)])("authenticate(%j) is null", async (token) => {
    expect(await services.auth.authenticate(token)).toBeNull();
  });

  it("logout revokes only that session and announces it once", async () => {
    await services.auth.register({ username: "quitter", password: PASSWORD });
    const a = await services.auth.login({ username: "quitter", password: PASSWORD });
    const b = await services.auth.login({ username: "quitter", password: PASSWORD });
    const whoA = await services.auth.authenticate(a.token);
    const revoked: number[] = [];
    const listener = (id: number) => revoked.push(id);
    services.events.on("session:revoked", listener);
    try {
      expect(await services.auth.logout(a.token)).toBe(true);
      expect(await services.auth.authenticate(a.token)).toBeNull();
      expect(await services.auth.authenticate(b.token)).not.toBeNull();
      expect(await services.auth.logout(a.token)).toBe(false);
      expect(await services.auth.logout("never-issued")).toBe(false);
      expect(revoked).toEqual([whoA!.sessionId]);
      expect(await dbNumber(store, "SELECT count(*) FROM Session WHERE tokenHash = ?", hashToken(a.token))).toBe(0);
    } finally {
      services.events.off("session:revoked", listener);
    }
  });
});

describe("sessions over time", () => {
  it("expire after SESSION_TTL seconds without use", async () => {
    at("2031-03-01T00:00:00.000Z");
    await services.auth.register({ username: "expirer", password: PASSWORD });
    const { token, expiresAt } = await services.auth.login({ username: "expirer", password: PASSWORD });
    expect(expiresAt.toISOString()).toBe("2031-03-01T00:01:40.000Z");
    vi.setSystemTime(new Date("2031-03-01T00:01:40.000Z"));
    expect(await services.auth.authenticate(token)).toBeNull();
    vi.setSystemTime(new Date("2031-03-01T01:00:00.000Z"));
    expect(await services.auth.authenticate(token)).toBeNull();
  });

  it("are still valid just before the TTL runs out", async () => {
    at("2031-04-01T00:00:00.000Z");
    await services.auth.register({ username: "almost", password: PASSWORD });
    const { token } = await services.auth.login({ username: "almost", password: PASSWORD });
    vi.setSystemTime(new Date("2031-04-01T00:01:39.000Z"));
    expect(await services.auth.authenticate(token)).not.toBeNull();
  });

  it("slide forward with use, writing at most once per tenth of the TTL", async () => {
    const t0 = Date.parse("2031-05-01T00:00:00.000Z");
    at(t0);
    await services.auth.register({ username: "slider", password: PASSWORD });
    const { token } = await services.auth.login({ username: "slider", password: PASSWORD });
    expect(await sessionExpiry(token)).toBe(t0 + 100_000);

    // 5 s in: less than a tenth of the TTL used, so no write
    vi.setSystemTime(t0 + 5_000);
    expect(await services.auth.authenticate(token)).not.toBeNull();
    expect(await sessionExpiry(token)).toBe(t0 + 100_000);

    // 50 s in: slides to now + TTL
    vi.setSystemTime(t0 + 50_000);
    expect(await services.auth.authenticate(token)).not.toBeNull();
    expect(await sessionExpiry(token)).toBe(t0 + 150_000);

    // past the original expiry, still valid thanks to the slide, and slides again
    vi.setSystemTime(t0 + 140_000);
    expect(await services.auth.authenticate(token)).not.toBeNull();
    expect(await sessionExpiry(token)).toBe(t0 + 240_000);

    // an idle TTL after the last use, it is gone
    vi.setSystemTime(t0 + 240_000);
    expect(await services.auth.authenticate(token)).toBeNull();
  });
});

describe("the sweep of connected sockets' sessions (revokeExpired)", () => {
  it("announces exactly the expired, logged-out and unknown sessions, across many slices", async () => {
    at("2031-06-01T00:00:00.000Z");
    await services.auth.register({ username: "sweeper", password: PASSWORD });
    const early = await services.auth.login({ username: "sweeper", password: PASSWORD });
    const idOf = async (token: string) => (await services.auth.authenticate(token))!.sessionId;
    const earlyId = await idOf(early.token); // (used at once: no slide)
    vi.setSystemTime(new Date("2031-06-01T00:01:00.000Z"));
    const late = await services.auth.login({ username: "sweeper", password: PASSWORD });
    const gone = await services.auth.login({ username: "sweeper", password: PASSWORD });
    const [lateId, goneId] = [await idOf(late.token), await idOf(gone.token)];
    await services.auth.logout(gone.token);
    // 100 s after the first login: it has expired, the second has 60 s left
    vi.setSystemTime(new Date("2031-06-01T00:01:40.000Z"));
    const unknown = Array.from({ length: 1200 }, (_, i) => 10_000_000 + i); // more than two slices of 500
    const revoked: number[] = [];
    const listener = (id: number) => revoked.push(id);
    services.events.on("session:revoked", listener);
    try {
      await services.auth.revokeExpired([...unknown.slice(0, 600), earlyId, lateId, goneId, ...unknown.slice(600)]);
      expect(revoked.sort((a, b) => a - b)).toEqual([...unknown, earlyId, goneId].sort((a, b) => a - b));
      expect(revoked).not.toContain(lateId);
    } finally {
      services.events.off("session:revoked", listener);
    }
  });
});

describe("login throttling", () => {
  it("allows 10 attempts per account and address, then rate_limited with retryAfter", async () => {
    await services.auth.register({ username: "bruteforced", password: PASSWORD });
    for (let i = 0; i < 10; i++) {
      const err = await appError(services.auth.login({ username: "bruteforced", password: `guess ${i}` }, "10.0.0.1"));
      expect(err.code).toBe("unauthorized");
    }
    for (const password of ["guess 10", PASSWORD]) {
      const err = await appError(services.auth.login({ username: "bruteforced", password }, "10.0.0.1"));
      expect(err.code).toBe("rate_limited");
      expect(err.retryAfter).toBeGreaterThanOrEqual(1);
      expect(err.retryAfter).toBeLessThanOrEqual(60);
      expect(err.detail).toMatch(/try again in \d+ s/);
    }
    // the same account from another address, in any letter case, is throttled separately
    const other = await services.auth.login({ username: "BruteForced", password: PASSWORD }, "10.0.0.2");
    expect(typeof other.token).toBe("string");
  });

  it("counts the account case-insensitively", async () => {
    await services.auth.register({ username: "CaseCount", password: PASSWORD });
    for (let i = 0; i < 10; i++) {
      const name = i % 2 ? "casecount" : "CASECOUNT";
      await appError(services.auth.login({ username: name, password: `guess ${i}` }, "10.0.0.3"));
    }
    const err = await appError(services.auth.login({ username: "CaseCount", password: PASSWORD }, "10.0.0.3"));
    expect(err.code).toBe("rate_limited");
  });

  it("limits one address to 50 attempts across accounts", async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        services.auth.login({ username: `sprayed_${i}`, password: PASSWORD }, "10.9.9.9"),
      ),
    );
    for (const a of attempts) {
      expect(a.status).toBe("rejected");
      if (a.status === "rejected") expect(isAppError(a.reason) && a.reason.code).toBe("unauthorized");
    }
    const err = await appError(services.auth.login({ username: "sprayed_new", password: PASSWORD }, "10.9.9.9"));
    expect(err.code).toBe("rate_limited");
  });
});

describe("messages", () => {
  let alice: Identity;
  let bob: Identity;
  beforeAll(async () => {
    alice = (await user("m_alice")).who;
    bob = (await user("m_bob")).who;
  });

  function capture(): { created: Message[]; stop: () => void } {
    const created: Message[] = [];
    const listener = (m: Message) => created.push(m);
    services.events.on("message:created", listener);
    return { created, stop: () => services.events.off("message:created", listener) };
  }

  it("stores a message, resolves after the commit and announces it once", async () => {
    const events = capture();
    try {
      const m = await services.messages.send(alice, { content: "hello services" });
      expect(m).toMatchObject({ username: "m_alice", content: "hello services", room: "general" });
      expect(m.clientId).toBeUndefined();
      expect(new Date(m.timestamp).toISOString()).toBe(m.timestamp);
      expect(await dbNumber(store, "SELECT count(*) FROM Message WHERE id = ?", m.id)).toBe(1);
      expect(events.created).toEqual([m]);
    } finally {
      events.stop();
    }
  });

  it("gives increasing ids in send order", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) ids.push((await services.messages.send(bob, { content: `seq ${i}` })).id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(10);
  });

  it("a write that fails in a batch fails alone: the others sent in the same turn are stored, in order", async () => {
    const send = (userId: number, content: string) =>
      db.messages.insertMessage({ userId, username: bob.username, room: "general", content, clientId: randomUUID() });
    // the data layer's writer batches what is queued in one turn; a user who does not exist breaks a foreign
    // key and rolls that batch back
    const sent = [send(bob.userId, "alone before"), send(987_654_321, "no such user"), send(bob.userId, "alone after")];
    const [before, broken, after] = (await Promise.allSettled(sent)) as [
      PromiseSettledResult<Awaited<(typeof sent)[0]>>,
      PromiseSettledResult<unknown>,
      PromiseSettledResult<Awaited<(typeof sent)[0]>>,
    ];
    expect(broken.status).toBe("rejected");
    if (before.status !== "fulfilled" || after.status !== "fulfilled") throw new Error("a good write failed");
    expect([before.value?.message.content, after.value?.message.content]).toEqual(["alone before", "alone after"]);
    expect(after.value!.message.id).toBeGreaterThan(before.value!.message.id);
    const ids = [before.value!.message.id, after.value!.message.id];
    expect(await dbNumber(store, "SELECT count(*) FROM Message WHERE id IN (?, ?)", ...ids)).toBe(2);
  });

  it("messageIdsBetween: a room's ids after one and up to another, ascending, at most `limit`", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) ids.push((await services.messages.send(bob, { content: `between ${i}` })).id);
    expect(await db.messages.messageIdsBetween("general", ids[0]!, ids[4]!, 100)).toEqual(ids.slice(1, 5));
    expect(await db.messages.messageIdsBetween("general", ids[0]!, ids[4]!, 2)).toEqual(ids.slice(1, 3));
    expect(await db.messages.messageIdsBetween("nowhere", 0, ids[5]!, 100)).toEqual([]);
  });

  it("concurrent sends get distinct ids, announced in id (commit) order", async () => {
    const events = capture();
    try {
      const sent = await Promise.all(
        Array.from({ length: 40 }, (_, i) => services.messages.send(i % 2 ? alice : bob, { content: `par ${i}` })),
      );
      const ids = sent.map((m) => m.id);
      expect(new Set(ids).size).toBe(40);
      expect(events.created.map((m) => m.id)).toEqual([...ids].sort((a, b) => a - b));
    } finally {
      events.stop();
    }
  });

  it("the same clientId sent again returns the stored message without a second row or event", async () => {
    const events = capture();
    try {
      const clientId = randomUUID();
      const first = await services.messages.send(alice, { content: "once", clientId });
      const again = await services.messages.send(alice, { content: "once, retried with other text", clientId });
      expect(again).toEqual(first);
      expect(first.clientId).toBe(clientId);
      expect(await dbNumber(store, "SELECT count(*) FROM Message WHERE clientId = ?", clientId)).toBe(1);
      expect(events.created).toEqual([first]);
    } finally {
      events.stop();
    }
  });

  it("concurrent sends with the same clientId store once and all resolve to that message", async () => {
    const events = capture();
    try {
      const clientId = randomUUID();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => services.messages.send(alice, { content: `race ${i}`, clientId })),
      );
      const [first] = results;
      for (const r of results) expect(r).toEqual(first);
      expect(await dbNumber(store, "SELECT count(*) FROM Message WHERE clientId = ?", clientId)).toBe(1);
      expect(events.created).toEqual([first]);
    } finally {
      events.stop();
    }
  });

  it("two users' identical clientIds are two messages", async () => {
    const clientId = randomUUID();
    const [a, b] = await Promise.all([
      services.messages.send(alice, { content: "a", clientId }),
      services.messages.send(bob, { content: "b", clientId }),
    ]);
    expect(a.id).not.toBe(b.id);
    expect(await dbNumber(store, "SELECT count(*) FROM Message WHERE clientId = ?", clientId)).toBe(2);
  });

  describe("reading", () => {
    let sent: Message[];
    beforeAll(async () => {
      sent = [];
      for (let i = 0; i < 70; i++) sent.push(await services.messages.send(bob, { content: `read ${i}` }));
    });
    const ids = (ms: Message[]) => ms.map((m) => m.id);

    it("history() is the last 50, oldest first", async () => {
      const h = await services.messages.history(bob);
      expect(ids(h.messages)).toEqual(ids(sent.slice(20)));
      expect(h.truncated).toBeUndefined();
    });

    it("history(N) is exactly what came after N", async () => {
      const h = await services.messages.history(bob, sent[59]!.id);
      expect(h.messages).toEqual(sent.slice(60));
      expect((await services.messages.history(bob, sent[69]!.id)).messages).toEqual([]);
    });

    it("page() reads after, before and latest with a limit", async () => {
      expect(ids(await services.messages.page(bob, { after: sent[9]!.id, limit: 3 }))).toEqual(ids(sent.slice(10, 13)));
      expect(ids(await services.messages.page(bob, { before: sent[9]!.id, limit: 3 }))).toEqual(ids(sent.slice(6, 9)));
      expect(ids(await services.messages.page(bob, { limit: 4 }))).toEqual(ids(sent.slice(66)));
    });
  });

  it("healthy() is true while the database answers", async () => {
    expect(await services.healthy()).toBe(true);
  });
});

describe("room summaries", () => {
  /** what the summary's count must be: others' messages in general after its read marker, up to its newest */
  const othersThrough = (summary: RoomSummary, reader: Identity) =>
    dbNumber(
      store,
      "SELECT count(*) FROM Message WHERE room = 'general' AND id > ? AND id <= ? AND userId != ?",
      summary.lastReadId,
      summary.lastMessageId,
      reader.userId,
    );

  it("count exactly the messages up to the newest they name, while one commits during the summary", async () => {
    const sender = (await user("sum_sender")).who;
    const reader = (await user("sum_reader")).who;
    await services.messages.send(sender, { content: "before the summary" });
    // a message commits between reading the newest id and counting: the count must cover exactly the
    // messages up to the id it reports, or a client that trusts `lastMessageId` drops the new one
    const real = db.rooms.lastMessageId.bind(db.rooms);
    let during: Message | undefined;
    const spy = vi.spyOn(db.rooms, "lastMessageId").mockImplementationOnce(async (room) => {
      during = await services.messages.send(sender, { content: "during the summary" });
      return real(room);
    });
    try {
      const summary = await services.rooms.summaryFor(reader, "general");
      expect(summary.lastMessageId).toBe(during?.id);
      expect(summary.unread).toBe(await othersThrough(summary, reader));
      expect(summary.unread).toBeGreaterThanOrEqual(2);
    } finally {
      spy.mockRestore();
    }
  });

  it("leave a message that commits after the newest id was read out of the count (it arrives live)", async () => {
    const sender = (await user("sum_late_sender")).who;
    const reader = (await user("sum_late_reader")).who;
    await services.messages.send(sender, { content: "before the count" });
    const real = db.rooms.unreadCount.bind(db.rooms);
    let late: Message | undefined;
    const spy = vi.spyOn(db.rooms, "unreadCount").mockImplementationOnce(async (...args) => {
      late = await services.messages.send(sender, { content: "after the newest id" });
      return real(...args);
    });
    try {
      const summary = await services.rooms.summaryFor(reader, "general");
      expect(late!.id).toBeGreaterThan(summary.lastMessageId);
      expect(summary.unread).toBe(await othersThrough(summary, reader));
    } finally {
      spy.mockRestore();
    }
  });

  it("a join stores and answers the same read marker, while a message commits during it", async () => {
    const owner = (await user("sum_owner")).who;
    const joiner = (await user("sum_joiner")).who;
    await services.rooms.create(owner, { name: "sumjoin" });
    await services.messages.send(owner, { room: "sumjoin", content: "history" });
    const real = db.rooms.lastMessageId.bind(db.rooms);
    const spy = vi.spyOn(db.rooms, "lastMessageId").mockImplementationOnce(async (room) => {
      const newest = await real(room);
      await services.messages.send(owner, { room: "sumjoin", content: "during the join" });
      return newest;
    });
    try {
      const { room } = await services.rooms.join(joiner, "sumjoin");
      const stored = await db.rooms.membership((await db.rooms.findRoom("sumjoin"))!.id, joiner.userId);
      expect(room.lastReadId).toBe(stored?.lastReadId);
      // the message after the marker is unread, in this answer and the next list alike
      const listed = (await services.rooms.list(joiner)).find((r) => r.name === "sumjoin");
      expect(listed?.unread).toBe(1);
      expect(room.unread).toBe(1);
    } finally {
      spy.mockRestore();
    }
  });
});
