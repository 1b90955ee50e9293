// Upload rows on PostgreSQL (the SQLite twin is ../uploads.ts). Attaching files to a message, and detaching a
// deleted message's, belong to the message writer's transaction, not here. Opening a file asks findUpload:
// a named statement.
import type { UploadQueries, UploadRecord } from "../data-layer";
import type { Pool } from "./pool";

const UPLOAD_COLUMNS = `"id", "userId", "name", "size", "type", "hash", "width", "height", "thumbnail", "messageId",
  "createdAt"`;

export function pgUploadQueries(pool: Pool): UploadQueries {
  return {
    async createUpload({ id, userId, name, size, type, hash, width, height, thumbnail }) {
      const { rows } = await pool.query<UploadRecord>(
        `INSERT INTO "Upload" ("id", "userId", "name", "size", "type", "hash", "width", "height", "thumbnail", "createdAt")
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${UPLOAD_COLUMNS}`,
        [id, userId, name, size, type, hash, width, height, thumbnail, new Date()],
      );
      return rows[0]!;
    },
    async findUpload(id) {
      const { rows } = await pool.query<UploadRecord>({
        name: "uploads.find",
        text: `SELECT ${UPLOAD_COLUMNS} FROM "Upload" WHERE "id" = $1`,
        values: [id],
      });
      return rows[0] ?? null;
    },
    async findUploads(ids) {
      const { rows } = await pool.query<UploadRecord>({
        name: "uploads.findMany",
        text: `SELECT ${UPLOAD_COLUMNS} FROM "Upload" WHERE "id" = ANY($1::text[])`,
        values: [ids],
      });
      return rows;
    },
    async bytesOf(userId) {
      const { rows } = await pool.query<{ bytes: number }>({
        name: "uploads.bytesOf",
        text: `SELECT coalesce(sum("size"), 0) AS "bytes" FROM "Upload" WHERE "userId" = $1`,
        values: [userId],
      });
      // sum of int4 is int8: a number through the pool's parser
      return Number(rows[0]?.bytes ?? 0);
    },
    async deleteUnsentBefore(before) {
      // an attach committing meanwhile is re-checked once it commits: a file just sent is never swept
      const { rowCount } = await pool.query(`DELETE FROM "Upload" WHERE "messageId" IS NULL AND "createdAt" < $1`, [
        before,
      ]);
      return rowCount ?? 0;
    },
    async referencedHashes() {
      const { rows } = await pool.query<{ hash: string }>(`SELECT DISTINCT "hash" FROM "Upload"`);
      return new Set(rows.map((r) => r.hash));
    },
  };
}
