// Personal access tokens on PostgreSQL (the SQLite twin is ../api-tokens.ts): named Bearer tokens for
// scripts, stored as hashes like sessions. Finding and touching one happen per request: named statements.
import type { ApiTokenQueries, ApiTokenRecord } from "../data-layer";
import type { Pool } from "./pool";

const LISTED = `"id", "name", "createdAt", "lastUsedAt"`;

export function pgApiTokenQueries(pool: Pool): ApiTokenQueries {
  return {
    async createApiToken(userId, name, tokenHash) {
      const { rows } = await pool.query<ApiTokenRecord>(
        `INSERT INTO "ApiToken" ("userId", "name", "tokenHash", "createdAt") VALUES ($1, $2, $3, $4)
          RETURNING ${LISTED}`,
        [userId, name, tokenHash, new Date()],
      );
      return rows[0]!;
    },
    async listApiTokens(userId) {
      const { rows } = await pool.query<ApiTokenRecord>({
        name: "apiTokens.list",
        text: `SELECT ${LISTED} FROM "ApiToken" WHERE "userId" = $1 ORDER BY "id"`,
        values: [userId],
      });
      return rows;
    },
    async deleteApiToken(userId, id) {
      const { rowCount } = await pool.query(`DELETE FROM "ApiToken" WHERE "id" = $1 AND "userId" = $2`, [id, userId]);
      return (rowCount ?? 0) > 0;
    },
    async findApiToken(tokenHash) {
      // a deactivated account's tokens stop working with its sessions
      const { rows } = await pool.query<{
        id: number;
        userId: number;
        username: string;
        admin: boolean;
        lastUsedAt: Date | null;
      }>({
        name: "apiTokens.find",
        text: `SELECT t."id", t."userId", u."username", u."admin", t."lastUsedAt"
          FROM "ApiToken" t JOIN "User" u ON u."id" = t."userId"
          WHERE t."tokenHash" = $1 AND u."deactivatedAt" IS NULL`,
        values: [tokenHash],
      });
      return rows[0] ?? null;
    },
    async touchApiToken(id, at) {
      await pool.query({
        name: "apiTokens.touch",
        text: `UPDATE "ApiToken" SET "lastUsedAt" = $2 WHERE "id" = $1`,
        values: [id, at],
      });
    },
    async liveApiTokenIds(ids) {
      const { rows } = await pool.query<{ id: number }>({
        name: "apiTokens.live",
        text: `SELECT "id" FROM "ApiToken" WHERE "id" = ANY($1::int[])`,
        values: [ids],
      });
      return new Set(rows.map((r) => r.id));
    },
  };
}
