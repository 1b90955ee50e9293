// Administration on PostgreSQL (the SQLite twin is ../admin.ts): the admin flag, deactivation, invites,
// password resets, the audit log and the server settings. Under READ COMMITTED two statements on different
// rows do not see each other's uncommitted changes, so "never the last admin" cannot be a NOT EXISTS alone
// (two admins revoking each other would both pass it): the guard locks every active admin row first, and a
// concurrent revocation waits there and then sees the other's committed change.
import type { AccountChange, AdminQueries, AdminUserRecord, AuditRecord, InviteRecord } from "../data-layer";
import { inTransaction, type Pool, type PoolClient } from "./pool";

const ADMIN_USER_COLUMNS = `"id", "username", "admin", "deactivatedAt", "createdAt", "lastSeenAt"`;

/**
 * The active admins other than $1, counted after locking every active admin's row, $1's included (in id
 * order, so two guards never deadlock). A row a concurrent transaction changed is re-checked once it commits.
 * A FILTER, not a WHERE: the planner would push `<> $1` into the locking scan and leave $1's row unlocked.
 */
const OTHER_ACTIVE_ADMINS = `(SELECT count(*) FILTER (WHERE admins."id" <> $1) FROM (
    SELECT "id" FROM "User" WHERE "admin" AND "deactivatedAt" IS NULL ORDER BY "id" FOR UPDATE
  ) AS admins)`;

const INVITE_SELECT = `SELECT i."id", u."username" AS "createdBy", i."createdAt", i."expiresAt", i."maxUses",
    i."used", i."revokedAt"
  FROM "Invite" i LEFT JOIN "User" u ON u."id" = i."createdById"`;

/** the reset token's row when it is live: unused, unexpired, for an active account */
const LIVE_RESET = `r."tokenHash" = $1 AND r."usedAt" IS NULL AND r."expiresAt" > $2
  AND u."id" = r."userId" AND u."deactivatedAt" IS NULL`;

/** Deletes every session of `userId`: the ids that were there, ascending. */
async function deleteSessionsOf(client: PoolClient, userId: number): Promise<number[]> {
  const { rows } = await client.query<{ id: number }>(
    `WITH gone AS (DELETE FROM "Session" WHERE "userId" = $1 RETURNING "id") SELECT "id" FROM gone ORDER BY "id"`,
    [userId],
  );
  return rows.map((r) => r.id);
}

export function pgAdminQueries(pool: Pool): AdminQueries {
  /** "unchanged" or "last-admin" after a guarded update changed nothing: is `userId` an admin nobody else backs? */
  async function why(userId: number): Promise<AccountChange> {
    const { rows } = await pool.query<{ last: boolean }>(
      `SELECT NOT EXISTS (SELECT 1 FROM "User" o WHERE o."admin" AND o."deactivatedAt" IS NULL AND o."id" <> $1)
          AS "last" FROM "User" WHERE "id" = $1 AND "admin"`,
      [userId],
    );
    return rows[0]?.last === true ? "last-admin" : "unchanged";
  }

  /** sets deactivatedAt unless it leaves no active admin; what happened, the sessions (and -token ids) to close */
  async function deactivateIn(
    client: PoolClient,
    userId: number,
    at: Date,
  ): Promise<{ change: AccountChange; sessionIds: number[] }> {
    const updated = await client.query(
      `UPDATE "User" SET "deactivatedAt" = $2
        WHERE "id" = $1 AND "deactivatedAt" IS NULL AND ${OTHER_ACTIVE_ADMINS} > 0`,
      [userId, at],
    );
    if (updated.rowCount !== 1) {
      const { rows } = await client.query<{ active: boolean }>(
        `SELECT "deactivatedAt" IS NULL AS "active" FROM "User" WHERE "id" = $1`,
        [userId],
      );
      return { change: rows[0]?.active === true ? "last-admin" : "unchanged", sessionIds: [] };
    }
    const sessionIds = await deleteSessionsOf(client, userId);
    await client.query(`DELETE FROM "PasswordReset" WHERE "userId" = $1 AND "usedAt" IS NULL`, [userId]);
    // API tokens stay (they work again on reactivation) but their sockets close too: a token's socket carries
    // the session id -tokenId
    const tokens = await client.query<{ id: number }>(`SELECT "id" FROM "ApiToken" WHERE "userId" = $1 ORDER BY "id"`, [
      userId,
    ]);
    return { change: "ok", sessionIds: [...sessionIds, ...tokens.rows.map((t) => -t.id)] };
  }

  return {
    async isAdmin(userId) {
      const { rows } = await pool.query<{ admin: boolean }>({
        name: "admin.isAdmin",
        text: `SELECT "admin" AND "deactivatedAt" IS NULL AS "admin" FROM "User" WHERE "id" = $1`,
        values: [userId],
      });
      return rows[0]?.admin === true;
    },
    async hasUsers() {
      return (await pool.query(`SELECT 1 FROM "User" LIMIT 1`)).rowCount === 1;
    },
    async findUser(username) {
      const { rows } = await pool.query<AdminUserRecord>({
        name: "admin.findUser",
        text: `SELECT ${ADMIN_USER_COLUMNS} FROM "User" WHERE "usernameKey" = $1`,
        values: [username.toLowerCase()],
      });
      return rows[0] ?? null;
    },
    async listUsers(search, limit) {
      // strpos, not LIKE: a "_" or "%" in the search is a character to find; COLLATE "C" orders as SQLite does
      const { rows } = await pool.query<AdminUserRecord>(
        `SELECT ${ADMIN_USER_COLUMNS} FROM "User" WHERE strpos("usernameKey", $1) > 0
          ORDER BY "usernameKey" COLLATE "C" LIMIT $2`,
        [search.toLowerCase(), limit],
      );
      return rows;
    },
    async setAdmin(userId, admin) {
      const changed = admin
        ? await pool.query(`UPDATE "User" SET "admin" = true WHERE "id" = $1 AND NOT "admin"`, [userId])
        : await pool.query(
            `UPDATE "User" SET "admin" = false WHERE "id" = $1 AND "admin" AND ${OTHER_ACTIVE_ADMINS} > 0`,
            [userId],
          );
      return changed.rowCount === 1 ? "ok" : admin ? "unchanged" : why(userId);
    },
    deactivate: (userId, at) => inTransaction(pool, (client) => deactivateIn(client, userId, at)),
    async reactivate(userId) {
      const { rowCount } = await pool.query(
        `UPDATE "User" SET "deactivatedAt" = NULL WHERE "id" = $1 AND "deactivatedAt" IS NOT NULL`,
        [userId],
      );
      return rowCount === 1 ? "ok" : "unchanged";
    },
    async setting(name) {
      const { rows } = await pool.query<{ value: string }>({
        name: "admin.setting",
        text: `SELECT "value" FROM "ServerSetting" WHERE "name" = $1`,
        values: [name],
      });
      return rows[0]?.value ?? null;
    },
    async setSetting(name, value) {
      await pool.query(
        `INSERT INTO "ServerSetting" ("name", "value") VALUES ($1, $2)
          ON CONFLICT ("name") DO UPDATE SET "value" = EXCLUDED."value"`,
        [name, value],
      );
    },
    async createInvite({ codeHash, createdById, expiresAt, maxUses }) {
      const { rows } = await pool.query<{ id: number }>(
        `INSERT INTO "Invite" ("codeHash", "createdById", "createdAt", "expiresAt", "maxUses")
          VALUES ($1, $2, $3, $4, $5) RETURNING "id"`,
        [codeHash, createdById, new Date(), expiresAt, maxUses],
      );
      return rows[0]!.id;
    },
    async listInvites(limit) {
      const { rows } = await pool.query<InviteRecord>(
        `${INVITE_SELECT} WHERE i."revokedAt" IS NULL ORDER BY i."id" DESC LIMIT $1`,
        [limit],
      );
      return rows;
    },
    async findInvite(codeHash) {
      const { rows } = await pool.query<InviteRecord>(`${INVITE_SELECT} WHERE i."codeHash" = $1`, [codeHash]);
      return rows[0] ?? null;
    },
    async revokeInvite(id, at) {
      const { rowCount } = await pool.query(
        `UPDATE "Invite" SET "revokedAt" = $2 WHERE "id" = $1 AND "revokedAt" IS NULL`,
        [id, at],
      );
      return rowCount === 1;
    },
    async createPasswordReset(userId, tokenHash, expiresAt) {
      await pool.query(
        `INSERT INTO "PasswordReset" ("userId", "tokenHash", "createdAt", "expiresAt") VALUES ($1, $2, $3, $4)`,
        [userId, tokenHash, new Date(), expiresAt],
      );
    },
    async passwordResetUser(tokenHash, now) {
      const { rows } = await pool.query<{ userId: number; username: string }>(
        `SELECT u."id" AS "userId", u."username" FROM "PasswordReset" r, "User" u WHERE ${LIVE_RESET}`,
        [tokenHash, now],
      );
      return rows[0] ?? null;
    },
    usePasswordReset(tokenHash, passwordHash, now) {
      return inTransaction(pool, async (client) => {
        // the user's row first, as deactivate takes it (then their resets): the other order deadlocks with it
        await client.query(
          `SELECT 1 FROM "User" WHERE "id" = (SELECT "userId" FROM "PasswordReset" WHERE "tokenHash" = $1) FOR UPDATE`,
          [tokenHash],
        );
        // a second use of the same token waits on the row, then finds it used
        const used = await client.query<{ userId: number; username: string }>(
          `UPDATE "PasswordReset" r SET "usedAt" = $2 FROM "User" u WHERE ${LIVE_RESET}
            RETURNING u."id" AS "userId", u."username"`,
          [tokenHash, now],
        );
        const reset = used.rows[0];
        if (!reset) return null;
        await client.query(`UPDATE "User" SET "passwordHash" = $2 WHERE "id" = $1`, [reset.userId, passwordHash]);
        return { ...reset, sessionIds: await deleteSessionsOf(client, reset.userId) };
      });
    },
    async audit({ actorId, actor, action, target }) {
      await pool.query({
        name: "admin.audit",
        text: `INSERT INTO "AuditEntry" ("actorId", "actor", "action", "target", "createdAt") VALUES ($1, $2, $3, $4, $5)`,
        values: [actorId, actor, action, target, new Date()],
      });
    },
    async auditLog(limit) {
      const { rows } = await pool.query<AuditRecord>(
        `SELECT "id", "actor", "action", "target", "createdAt" FROM "AuditEntry" ORDER BY "id" DESC LIMIT $1`,
        [limit],
      );
      return rows;
    },
  };
}
