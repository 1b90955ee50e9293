// Session queries on PostgreSQL (sessions.ts on SQLite): every authenticated request asks findSession, and
// the periodic check of every connected socket asks liveSessionIds: named prepared statements.
import type { SessionListing, SessionQueries, SessionRecord } from "../data-layer";
import type { Pool } from "./pool";

export function pgSessionQueries(pool: Pool): SessionQueries {
  const ids = async (name: string, text: string, values: unknown[]): Promise<number[]> =>
    (await pool.query<{ id: number }>({ name, text, values })).rows.map((r) => r.id);
  return {
    async createSession(userId, tokenHash, expiresAt, userAgent = null) {
      const [id] = await ids(
        "sessions-create",
        `INSERT INTO "Session" ("userId", "tokenHash", "expiresAt", "userAgent", "createdAt", "lastUsedAt")
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING "id"`,
        [userId, tokenHash, expiresAt, userAgent, new Date()],
      );
      return id!;
    },
    async sessionsOf(userId, now) {
      const { rows } = await pool.query<SessionListing>({
        name: "sessions-of",
        text: `SELECT "id", "createdAt", "lastUsedAt", "userAgent" FROM "Session"
                WHERE "userId" = $1 AND "expiresAt" > $2 ORDER BY "lastUsedAt" DESC, "id" DESC`,
        values: [userId, now],
      });
      return rows;
    },
    async deleteSessionOf(userId, id) {
      const deleted = await ids(
        "sessions-delete-of",
        `DELETE FROM "Session" WHERE "id" = $1 AND "userId" = $2 RETURNING "id"`,
        [id, userId],
      );
      return deleted.length > 0;
    },
    deleteOtherSessions: (userId, keepId) =>
      ids("sessions-delete-others", `DELETE FROM "Session" WHERE "userId" = $1 AND "id" <> $2 RETURNING "id"`, [
        userId,
        keepId,
      ]),
    async findSession(tokenHash) {
      // a deactivated user's sessions are deleted with the deactivation; the condition also covers a login that raced it
      const { rows } = await pool.query<SessionRecord>({
        name: "sessions-find",
        text: `SELECT s."id", s."userId", u."username", u."admin", s."expiresAt"
                 FROM "Session" s JOIN "User" u ON u."id" = s."userId"
                WHERE s."tokenHash" = $1 AND u."deactivatedAt" IS NULL`,
        values: [tokenHash],
      });
      return rows[0] ?? null;
    },
    async extendSession(id, expiresAt) {
      await pool.query({
        name: "sessions-extend",
        text: `UPDATE "Session" SET "expiresAt" = $1, "lastUsedAt" = $2 WHERE "id" = $3`,
        values: [expiresAt, new Date(), id],
      });
    },
    async deleteSession(tokenHash) {
      const [id] = await ids("sessions-delete", `DELETE FROM "Session" WHERE "tokenHash" = $1 RETURNING "id"`, [
        tokenHash,
      ]);
      return id ?? null;
    },
    async liveSessionIds(list, now) {
      if (list.length === 0) return new Set();
      return new Set(
        await ids("sessions-live", `SELECT "id" FROM "Session" WHERE "id" = ANY($1::int[]) AND "expiresAt" > $2`, [
          list,
          now,
        ]),
      );
    },
    async deleteExpiredSessions(now) {
      const { rowCount } = await pool.query({
        name: "sessions-expired",
        text: `DELETE FROM "Session" WHERE "expiresAt" < $1`,
        values: [now],
      });
      return rowCount ?? 0;
    },
  };
}
