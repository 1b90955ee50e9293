// Profiles (display name, status, avatar) and the password on PostgreSQL (the SQLite twin is ../profiles.ts).
// Avatars are bytea, read back as Uint8Array.
import type { ProfileQueries, StoredProfile } from "../data-layer";
import { inTransaction, type Pool } from "./pool";

/** the StoredProfile columns of "User" u */
const PROFILE_COLUMNS = `u."username", u."displayName", u."statusText",
  (SELECT a."id" FROM "Avatar" a WHERE a."userId" = u."id") AS "avatarId"`;

/** an update of a user that is not there (Prisma's update throws the same way: P2025) */
const noSuchUser = (userId: number) => new Error(`No user with id ${userId}`);

export function pgProfileQueries(pool: Pool): ProfileQueries {
  return {
    async profile(userId) {
      const { rows } = await pool.query<StoredProfile & { createdAt: Date }>({
        name: "profiles.profile",
        text: `SELECT ${PROFILE_COLUMNS}, u."createdAt" FROM "User" u WHERE u."id" = $1`,
        values: [userId],
      });
      return rows[0] ?? null;
    },
    async updateProfile(userId, { displayName, statusText }) {
      // one statement for any change: a flag per field says whether it is given (undefined leaves it alone)
      const { rows } = await pool.query<StoredProfile>({
        name: "profiles.updateProfile",
        text: `UPDATE "User" u SET
            "displayName" = CASE WHEN $2 THEN $3 ELSE u."displayName" END,
            "statusText" = CASE WHEN $4 THEN $5 ELSE u."statusText" END
          WHERE u."id" = $1 RETURNING ${PROFILE_COLUMNS}`,
        values: [userId, displayName !== undefined, displayName ?? null, statusText !== undefined, statusText ?? null],
      });
      if (!rows[0]) throw noSuchUser(userId);
      return rows[0];
    },
    async setAvatar(userId, { id, large, small }) {
      // a new id per upload: the old URL (cached for ever by browsers) stops answering. One upsert on the
      // user's unique avatar, so two uploads at once cannot collide on it: the last one stays.
      await pool.query(
        `INSERT INTO "Avatar" ("id", "userId", "large", "small", "createdAt") VALUES ($1, $2, $3, $4, $5)
          ON CONFLICT ("userId") DO UPDATE SET "id" = EXCLUDED."id", "large" = EXCLUDED."large",
            "small" = EXCLUDED."small", "createdAt" = EXCLUDED."createdAt"`,
        [id, userId, Buffer.from(large), Buffer.from(small), new Date()],
      );
    },
    async removeAvatar(userId) {
      const { rowCount } = await pool.query(`DELETE FROM "Avatar" WHERE "userId" = $1`, [userId]);
      return (rowCount ?? 0) > 0;
    },
    async avatarImage(id, size) {
      const { rows } = await pool.query<{ bytes: Buffer }>({
        name: `profiles.avatarImage.${size}`,
        text: `SELECT ${size === "large" ? `"large"` : `"small"`} AS "bytes" FROM "Avatar" WHERE "id" = $1`,
        values: [id],
      });
      const bytes = rows[0]?.bytes;
      return bytes ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : null;
    },
    async passwordHash(userId) {
      const { rows } = await pool.query<{ passwordHash: string }>({
        name: "profiles.passwordHash",
        text: `SELECT "passwordHash" FROM "User" WHERE "id" = $1`,
        values: [userId],
      });
      return rows[0]?.passwordHash ?? null;
    },
    setPassword(userId, passwordHash, keepSessionId) {
      return inTransaction(pool, async (client) => {
        const updated = await client.query(`UPDATE "User" SET "passwordHash" = $2 WHERE "id" = $1`, [
          userId,
          passwordHash,
        ]);
        if (updated.rowCount !== 1) throw noSuchUser(userId);
        const { rows } = await client.query<{ id: number }>(
          `WITH gone AS (DELETE FROM "Session" WHERE "userId" = $1 AND "id" <> $2 RETURNING "id")
            SELECT "id" FROM gone ORDER BY "id"`,
          [userId, keepSessionId],
        );
        return rows.map((r) => r.id);
      });
    },
  };
}
