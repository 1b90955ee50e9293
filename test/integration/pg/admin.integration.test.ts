// pgAdminQueries against a real PostgreSQL: the same behaviour as the SQLite admin queries, and the
// last-admin guard under READ COMMITTED (two admins revoking or deactivating each other at once).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgAdminQueries } from "../../../lib/db/pg/admin";
import type { Pool } from "../../../lib/db/pg/pool";
import { startPostgres, type TestPostgres } from "../../helpers/postgres";
import { insertSession, insertUser, migratedPool, sessionIdsOf, untilSomeoneWaitsForALock } from "./pg-fixture";

let server: TestPostgres;
const pools: Pool[] = [];

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await server?.stop();
});

async function fresh() {
  const pool = await migratedPool(server);
  pools.push(pool);
  return { pool, admin: pgAdminQueries(pool) };
}

const adminNames = async (pool: Pool) =>
  (await pool.query<{ username: string }>(`SELECT "username" FROM "User" WHERE "admin" ORDER BY "id"`)).rows.map(
    (r) => r.username,
  );

describe("users and the admin flag", () => {
  let pool: Pool;
  let admin: ReturnType<typeof pgAdminQueries>;
  beforeAll(async () => ({ pool, admin } = await fresh()));

  it("hasUsers is false on an empty database, true once one exists", async () => {
    expect(await admin.hasUsers()).toBe(false);
    await insertUser(pool, "Owner", { admin: true });
    expect(await admin.hasUsers()).toBe(true);
  });

  it("isAdmin: an active admin only", async () => {
    const owner = (await admin.findUser("owner"))!.id;
    const plain = await insertUser(pool, "plain");
    const gone = await insertUser(pool, "gone_admin", { admin: true, deactivatedAt: new Date() });
    expect(await admin.isAdmin(owner)).toBe(true);
    expect(await admin.isAdmin(plain)).toBe(false);
    expect(await admin.isAdmin(gone)).toBe(false);
    expect(await admin.isAdmin(999_999)).toBe(false);
  });

  it("findUser is case-insensitive and returns the record's fields; null for nobody", async () => {
    const found = await admin.findUser("OWNER");
    expect(found).toEqual({
      id: expect.any(Number) as number,
      username: "Owner",
      admin: true,
      deactivatedAt: null,
      createdAt: expect.any(Date) as Date,
      lastSeenAt: null,
    });
    expect(Math.abs(found!.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(await admin.findUser("nobody")).toBeNull();
  });

  it("listUsers: a case-insensitive part of the name, by name in byte order, up to the limit", async () => {
    await insertUser(pool, "Searchable_One");
    await insertUser(pool, "searchableTwo");
    await insertUser(pool, "searchablex");
    const names = async (search: string, limit = 50) => (await admin.listUsers(search, limit)).map((u) => u.username);
    // byte order: "_" (0x5f) before "t" and "x", as SQLite orders
    expect(await names("SEARCHABLE")).toEqual(["Searchable_One", "searchableTwo", "searchablex"]);
    expect(await names("searchable", 2)).toEqual(["Searchable_One", "searchableTwo"]);
    // "_" and "%" are characters to find, not patterns
    expect(await names("e_o")).toEqual(["Searchable_One"]);
    expect(await names("%")).toEqual([]);
    expect((await names("")).length).toBe(6);
  });

  it("setAdmin: grant, grant again (unchanged), revoke, revoke a non-admin (unchanged), never the last", async () => {
    const owner = (await admin.findUser("owner"))!.id;
    const plain = (await admin.findUser("plain"))!.id;
    expect(await admin.setAdmin(owner, false)).toBe("last-admin");
    expect(await admin.setAdmin(plain, true)).toBe("ok");
    expect(await admin.setAdmin(plain, true)).toBe("unchanged");
    expect(await admin.setAdmin(plain, false)).toBe("ok");
    expect(await admin.setAdmin(plain, false)).toBe("unchanged");
    expect(await admin.setAdmin(999_999, false)).toBe("unchanged");
    expect(await admin.setAdmin(999_999, true)).toBe("unchanged");
    // a deactivated admin does not count as another admin
    expect(await admin.setAdmin(owner, false)).toBe("last-admin");
    expect(await adminNames(pool)).toEqual(["Owner", "gone_admin"]);
  });
});

describe("the last-admin guard under concurrency", () => {
  let pool: Pool;
  let admin: ReturnType<typeof pgAdminQueries>;
  let a: number;
  let b: number;
  beforeAll(async () => {
    ({ pool, admin } = await fresh());
    a = await insertUser(pool, "alpha", { admin: true });
    b = await insertUser(pool, "beta", { admin: true });
  });
  const reset = () => pool.query(`UPDATE "User" SET "admin" = true, "deactivatedAt" = NULL`);

  it("two admins revoking each other at once: exactly one wins, the other is the last admin", async () => {
    for (let round = 0; round < 20; round++) {
      await reset();
      const results = await Promise.all([admin.setAdmin(a, false), admin.setAdmin(b, false)]);
      expect(results.sort()).toEqual(["last-admin", "ok"]);
      expect(await adminNames(pool)).toHaveLength(1);
    }
  });

  it("two admins deactivating each other at once: exactly one wins", async () => {
    for (let round = 0; round < 20; round++) {
      await reset();
      const results = await Promise.all([admin.deactivate(a, new Date()), admin.deactivate(b, new Date())]);
      expect(results.map((r) => r.change).sort()).toEqual(["last-admin", "ok"]);
      const active = await pool.query(`SELECT 1 FROM "User" WHERE "admin" AND "deactivatedAt" IS NULL`);
      expect(active.rowCount).toBe(1);
    }
  });

  it("a revoke and a deactivation at once leave an active admin", async () => {
    for (let round = 0; round < 20; round++) {
      await reset();
      const [revoked, deactivated] = await Promise.all([admin.setAdmin(a, false), admin.deactivate(b, new Date())]);
      expect([revoked, deactivated.change].sort()).toEqual(["last-admin", "ok"]);
      const active = await pool.query(`SELECT 1 FROM "User" WHERE "admin" AND "deactivatedAt" IS NULL`);
      expect(active.rowCount).toBe(1);
    }
  });

  it("a revoke waiting on another's uncommitted revoke sees it once committed", async () => {
    await reset();
    const other = await pool.connect();
    try {
      await other.query("BEGIN");
      await other.query(`UPDATE "User" SET "admin" = false WHERE "id" = $1`, [a]);
      const waiting = admin.setAdmin(b, false);
      await untilSomeoneWaitsForALock(pool);
      await other.query("COMMIT");
      expect(await waiting).toBe("last-admin");
    } finally {
      other.release();
    }
    expect(await adminNames(pool)).toEqual(["beta"]);
  });

  it("a revoke waiting on a rolled-back revoke goes ahead", async () => {
    await reset();
    const other = await pool.connect();
    try {
      await other.query("BEGIN");
      await other.query(`UPDATE "User" SET "admin" = false WHERE "id" = $1`, [a]);
      const waiting = admin.setAdmin(b, false);
      await untilSomeoneWaitsForALock(pool);
      await other.query("ROLLBACK");
      expect(await waiting).toBe("ok");
    } finally {
      other.release();
    }
    expect(await adminNames(pool)).toEqual(["alpha"]);
  });
});

describe("deactivate and reactivate", () => {
  let pool: Pool;
  let admin: ReturnType<typeof pgAdminQueries>;
  let owner: number;
  let user: number;
  beforeAll(async () => {
    ({ pool, admin } = await fresh());
    owner = await insertUser(pool, "owner", { admin: true });
    user = await insertUser(pool, "user");
  });

  it("deactivates: deactivatedAt set, sessions and unused resets deleted; sessions then -token ids returned", async () => {
    const s1 = await insertSession(pool, user, "s1");
    const s2 = await insertSession(pool, user, "s2");
    const kept = await insertSession(pool, owner, "s3");
    const tokens = await pool.query<{ id: number }>(
      `INSERT INTO "ApiToken" ("userId", "name", "tokenHash") VALUES ($1, 'a', 't1'), ($1, 'b', 't2') RETURNING "id"`,
      [user],
    );
    await admin.createPasswordReset(user, "unused", new Date(Date.now() + 60_000));
    await admin.createPasswordReset(user, "used", new Date(Date.now() + 60_000));
    await pool.query(`UPDATE "PasswordReset" SET "usedAt" = now() WHERE "tokenHash" = 'used'`);
    const at = new Date("2026-12-01T10:00:00.123Z");

    const result = await admin.deactivate(user, at);

    const tokenIds = tokens.rows.map((t) => t.id).sort((x, y) => x - y);
    expect(result).toEqual({ change: "ok", sessionIds: [s1, s2, ...tokenIds.map((id) => -id)] });
    expect((await admin.findUser("user"))!.deactivatedAt).toEqual(at);
    expect(await sessionIdsOf(pool, user)).toEqual([]);
    expect(await sessionIdsOf(pool, owner)).toEqual([kept]);
    const resets = await pool.query(`SELECT "tokenHash" FROM "PasswordReset"`);
    expect(resets.rows).toEqual([{ tokenHash: "used" }]);
    // tokens stay, for a reactivation
    expect((await pool.query(`SELECT 1 FROM "ApiToken"`)).rowCount).toBe(2);
  });

  it("deactivating twice, or nobody, is unchanged; the last admin is refused", async () => {
    expect(await admin.deactivate(user, new Date())).toEqual({ change: "unchanged", sessionIds: [] });
    expect(await admin.deactivate(999_999, new Date())).toEqual({ change: "unchanged", sessionIds: [] });
    const s = await insertSession(pool, owner, "owner-2");
    expect(await admin.deactivate(owner, new Date())).toEqual({ change: "last-admin", sessionIds: [] });
    expect((await admin.findUser("owner"))!.deactivatedAt).toBeNull();
    expect(await sessionIdsOf(pool, owner)).toContain(s);
  });

  it("reactivate: ok once, then unchanged; nobody is unchanged", async () => {
    expect(await admin.reactivate(user)).toBe("ok");
    expect((await admin.findUser("user"))!.deactivatedAt).toBeNull();
    expect(await admin.reactivate(user)).toBe("unchanged");
    expect(await admin.reactivate(999_999)).toBe("unchanged");
  });

  it("an admin can be deactivated while another stays active", async () => {
    expect(await admin.setAdmin(user, true)).toBe("ok");
    expect((await admin.deactivate(owner, new Date())).change).toBe("ok");
    expect(await admin.isAdmin(owner)).toBe(false);
    expect((await admin.deactivate(user, new Date())).change).toBe("last-admin");
  });
});

describe("settings, invites and the audit log", () => {
  let pool: Pool;
  let admin: ReturnType<typeof pgAdminQueries>;
  let owner: number;
  beforeAll(async () => {
    ({ pool, admin } = await fresh());
    owner = await insertUser(pool, "owner", { admin: true });
  });

  it("a setting is null until set, then the last value set", async () => {
    expect(await admin.setting("registration")).toBeNull();
    await admin.setSetting("registration", "invite");
    expect(await admin.setting("registration")).toBe("invite");
    await admin.setSetting("registration", "open");
    expect(await admin.setting("registration")).toBe("open");
  });

  it("invites: created, listed newest first without the revoked, found by hash, revoked once", async () => {
    const expiresAt = new Date("2027-01-01T00:00:00.000Z");
    const first = await admin.createInvite({ codeHash: "h1", createdById: owner, expiresAt, maxUses: 1 });
    const second = await admin.createInvite({ codeHash: "h2", createdById: owner, expiresAt, maxUses: 5 });
    const third = await admin.createInvite({ codeHash: "h3", createdById: owner, expiresAt, maxUses: 2 });
    expect(second).toBeGreaterThan(first);
    const found = await admin.findInvite("h2");
    expect(found).toEqual({
      id: second,
      createdBy: "owner",
      createdAt: expect.any(Date) as Date,
      expiresAt,
      maxUses: 5,
      used: 0,
      revokedAt: null,
    });
    expect(await admin.findInvite("nope")).toBeNull();
    const at = new Date("2026-12-05T12:00:00.000Z");
    expect(await admin.revokeInvite(second, at)).toBe(true);
    expect(await admin.revokeInvite(second, new Date())).toBe(false);
    expect(await admin.revokeInvite(999_999, new Date())).toBe(false);
    expect((await admin.findInvite("h2"))!.revokedAt).toEqual(at);
    expect((await admin.listInvites(10)).map((i) => i.id)).toEqual([third, first]);
    expect((await admin.listInvites(1)).map((i) => i.id)).toEqual([third]);
  });

  it("an invite whose creator is gone shows createdBy null", async () => {
    const temp = await insertUser(pool, "temp");
    await admin.createInvite({ codeHash: "h4", createdById: temp, expiresAt: new Date(), maxUses: 1 });
    await pool.query(`DELETE FROM "User" WHERE "id" = $1`, [temp]);
    expect((await admin.findInvite("h4"))!.createdBy).toBeNull();
  });

  it("the audit log: newest first, up to the limit", async () => {
    await admin.audit({ actorId: owner, actor: "owner", action: "admin.grant", target: "x" });
    await admin.audit({ actorId: null, actor: "system", action: "retention.run", target: null });
    const log = await admin.auditLog(10);
    expect(log).toEqual([
      {
        id: expect.any(Number) as number,
        actor: "system",
        action: "retention.run",
        target: null,
        createdAt: expect.any(Date) as Date,
      },
      {
        id: expect.any(Number) as number,
        actor: "owner",
        action: "admin.grant",
        target: "x",
        createdAt: expect.any(Date) as Date,
      },
    ]);
    expect(log[0]!.id).toBeGreaterThan(log[1]!.id);
    expect(Math.abs(log[0]!.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(await admin.auditLog(1)).toHaveLength(1);
  });
});

describe("password resets", () => {
  let pool: Pool;
  let admin: ReturnType<typeof pgAdminQueries>;
  let user: number;
  const now = new Date("2026-12-06T12:00:00.000Z");
  const later = new Date("2026-12-06T13:00:00.000Z");
  beforeAll(async () => {
    ({ pool, admin } = await fresh());
    await insertUser(pool, "owner", { admin: true });
    user = await insertUser(pool, "Forgetful");
    await admin.createPasswordReset(user, "live", later);
    await admin.createPasswordReset(user, "expired", now);
  });

  it("passwordResetUser: the user of a live token; null for expired, unknown, or a deactivated account", async () => {
    expect(await admin.passwordResetUser("live", now)).toEqual({ userId: user, username: "Forgetful" });
    expect(await admin.passwordResetUser("live", later)).toBeNull();
    expect(await admin.passwordResetUser("expired", now)).toBeNull();
    expect(await admin.passwordResetUser("unknown", now)).toBeNull();
    await pool.query(`UPDATE "User" SET "deactivatedAt" = now() WHERE "id" = $1`, [user]);
    expect(await admin.passwordResetUser("live", now)).toBeNull();
    expect(await admin.usePasswordReset("live", "new-hash", now)).toBeNull();
    await pool.query(`UPDATE "User" SET "deactivatedAt" = NULL WHERE "id" = $1`, [user]);
  });

  it("usePasswordReset: stores the hash, deletes every session, once", async () => {
    const s1 = await insertSession(pool, user, "a");
    const s2 = await insertSession(pool, user, "b");
    expect(await admin.usePasswordReset("expired", "x", now)).toBeNull();
    expect(await admin.usePasswordReset("live", "new-hash", now)).toEqual({
      userId: user,
      username: "Forgetful",
      sessionIds: [s1, s2],
    });
    const stored = await pool.query(`SELECT "passwordHash" FROM "User" WHERE "id" = $1`, [user]);
    expect(stored.rows[0]).toEqual({ passwordHash: "new-hash" });
    expect(await sessionIdsOf(pool, user)).toEqual([]);
    expect(await admin.usePasswordReset("live", "again", now)).toBeNull();
    expect(await admin.passwordResetUser("live", now)).toBeNull();
  });

  it("a reset used while the account is deactivated: one of them first, never a deadlock", async () => {
    for (let round = 0; round < 30; round++) {
      await pool.query(`UPDATE "User" SET "deactivatedAt" = NULL WHERE "id" = $1`, [user]);
      await admin.createPasswordReset(user, `deact-${round}`, later);
      const [deactivated, used] = await Promise.all([
        admin.deactivate(user, now),
        admin.usePasswordReset(`deact-${round}`, "h", now),
      ]);
      expect(deactivated.change).toBe("ok");
      // a reset that came second finds the account deactivated (and its token deleted)
      const left = await pool.query(`SELECT 1 FROM "PasswordReset" WHERE "tokenHash" = $1`, [`deact-${round}`]);
      expect(left.rowCount).toBe(used === null ? 0 : 1);
    }
    await pool.query(`UPDATE "User" SET "deactivatedAt" = NULL WHERE "id" = $1`, [user]);
  });

  it("the same token used twice at once works once", async () => {
    for (let round = 0; round < 10; round++) {
      await admin.createPasswordReset(user, `race-${round}`, later);
      const results = await Promise.all([
        admin.usePasswordReset(`race-${round}`, "one", now),
        admin.usePasswordReset(`race-${round}`, "two", now),
      ]);
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    }
  });
});
