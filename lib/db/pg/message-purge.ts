// Retention on PostgreSQL, as message-purge.ts on SQLite: the oldest messages created before the cutoff, a
// batch at a time inside the writer's transaction, with their mentions, reactions, edit history and files;
// the search documents go by ON DELETE CASCADE. The row holding the highest seq stays (seqs are never reused).
import type { PoolClient } from "./pool";

const DELETES = [
  ["purge-mentions", `DELETE FROM "Mention" WHERE "messageId" = ANY($1::int[])`],
  ["purge-reactions", `DELETE FROM "Reaction" WHERE "messageId" = ANY($1::int[])`],
  ["purge-edits", `DELETE FROM "MessageEdit" WHERE "messageId" = ANY($1::int[])`],
  // its files' rows: the upload sweep then removes the blobs nothing refers to any more
  ["purge-files", `DELETE FROM "Upload" WHERE "messageId" = ANY($1::int[])`],
  ["purge-messages", `DELETE FROM "Message" WHERE "id" = ANY($1::int[])`],
] as const;

/** Deletes up to `limit` messages created before `cutoff`, oldest first; how many it deleted. */
export async function purgePgMessages(client: PoolClient, cutoff: Date, limit: number): Promise<number> {
  const max = await client.query<{ seq: number }>({
    name: "purge-max-seq",
    text: `SELECT COALESCE(MAX("seq"), 0) AS "seq" FROM "Message"`,
  });
  const keepSeq = max.rows[0]?.seq ?? 0;
  // ids follow commit order and so do creation times: walk from the oldest, stop at the first recent one
  const { rows } = await client.query<{ id: number; createdAt: Date; seq: number }>({
    name: "purge-oldest",
    text: `SELECT "id", "createdAt", "seq" FROM "Message" ORDER BY "id" LIMIT $1`,
    values: [limit],
  });
  const ids: number[] = [];
  for (const row of rows) {
    if (row.createdAt.getTime() >= cutoff.getTime()) break;
    if (row.seq !== keepSeq) ids.push(row.id);
  }
  if (ids.length === 0) return 0;
  for (const [name, text] of DELETES) await client.query({ name, text, values: [ids] });
  return ids.length;
}
