// Incoming webhooks on PostgreSQL (the SQLite twin is ../hooks.ts): a room, a name, and the hash of the
// secret in the hook's URL. Finding a hook by its secret and touching it happen per delivery: named statements.
import type { HookQueries, HookRecord } from "../data-layer";
import type { Pool } from "./pool";

/** a HookRecord from "Hook" h joined to its room r and creator u */
const HOOK_COLUMNS = `h."id", h."name", h."roomId", r."name" AS "room", h."createdById", u."username" AS "createdBy",
  h."createdAt", h."lastUsedAt"`;
const JOINS = `JOIN "Room" r ON r."id" = h."roomId" JOIN "User" u ON u."id" = h."createdById"`;
const HOOK_FROM = `"Hook" h ${JOINS}`;

export function pgHookQueries(pool: Pool): HookQueries {
  return {
    async createHook({ roomId, createdById, name, secretHash }) {
      const { rows } = await pool.query<HookRecord>(
        `WITH h AS (
            INSERT INTO "Hook" ("roomId", "createdById", "name", "secretHash", "createdAt")
            VALUES ($1, $2, $3, $4, $5) RETURNING *)
          SELECT ${HOOK_COLUMNS} FROM h ${JOINS}`,
        [roomId, createdById, name, secretHash, new Date()],
      );
      return rows[0]!;
    },
    async hooksOfMember(userId) {
      const { rows } = await pool.query<HookRecord>({
        name: "hooks.ofMember",
        text: `SELECT ${HOOK_COLUMNS} FROM ${HOOK_FROM}
          WHERE EXISTS (SELECT 1 FROM "Membership" m WHERE m."roomId" = h."roomId" AND m."userId" = $1)
          ORDER BY h."id"`,
        values: [userId],
      });
      return rows;
    },
    async findHook(id) {
      const { rows } = await pool.query<HookRecord>({
        name: "hooks.find",
        text: `SELECT ${HOOK_COLUMNS} FROM ${HOOK_FROM} WHERE h."id" = $1`,
        values: [id],
      });
      return rows[0] ?? null;
    },
    async findHookBySecret(secretHash) {
      const { rows } = await pool.query<HookRecord>({
        name: "hooks.findBySecret",
        text: `SELECT ${HOOK_COLUMNS} FROM ${HOOK_FROM} WHERE h."secretHash" = $1`,
        values: [secretHash],
      });
      return rows[0] ?? null;
    },
    async deleteHook(id) {
      const { rowCount } = await pool.query(`DELETE FROM "Hook" WHERE "id" = $1`, [id]);
      return (rowCount ?? 0) > 0;
    },
    async touchHook(id, at) {
      await pool.query({
        name: "hooks.touch",
        text: `UPDATE "Hook" SET "lastUsedAt" = $2 WHERE "id" = $1`,
        values: [id, at],
      });
    },
  };
}
