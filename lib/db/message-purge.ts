// Retention: removing the oldest messages for good, a batch at a time, inside the writer's transaction (so it
// takes turns with inserts and never holds the database for long). With each message go its mention rows,
// reactions, edit history and files; the search index follows through the delete trigger. Read markers are ids,
// not rows per message: nothing to remove there.
import type Database from "better-sqlite3";
import { isoFromSqliteDate } from "./message-rows";

export function createMessagePurge(conn: Database.Database) {
  // ids follow commit order and so do creation times: walk from the oldest by primary key, stop at the
  // first message that is recent enough (no index on createdAt needed, each batch reads at most `limit` rows)
  const oldest = conn.prepare<[number], { id: number; createdAt: string | number; seq: number }>(
    `SELECT "id", "createdAt", "seq" FROM "Message" ORDER BY "id" LIMIT ?`,
  );
  // the row holding the highest seq stays: the writer numbers the next change from it, and a client's
  // catch-up cursor must never see a seq handed out twice
  const maxSeq = conn.prepare<[], number>(`SELECT COALESCE(MAX("seq"), 0) FROM "Message"`).pluck();
  const inList = `(SELECT value FROM json_each(?))`;
  const deletes = [
    `DELETE FROM "Mention" WHERE "messageId" IN ${inList}`,
    `DELETE FROM "Reaction" WHERE "messageId" IN ${inList}`,
    `DELETE FROM "MessageEdit" WHERE "messageId" IN ${inList}`,
    // its files' rows: the upload sweep then removes the blobs nothing refers to any more
    `DELETE FROM "Upload" WHERE "messageId" IN ${inList}`,
    `DELETE FROM "Message" WHERE "id" IN ${inList}`,
  ].map((sql) => conn.prepare<[string]>(sql));

  /** Deletes up to `limit` messages created before `cutoff`, oldest first; how many it deleted. */
  return function purge(cutoff: Date, limit: number): number {
    const before = cutoff.getTime();
    const keepSeq = maxSeq.get() ?? 0;
    const ids: number[] = [];
    for (const row of oldest.all(limit)) {
      if (Date.parse(isoFromSqliteDate(row.createdAt)) >= before) break;
      if (row.seq !== keepSeq) ids.push(row.id);
    }
    if (ids.length === 0) return 0;
    const list = JSON.stringify(ids);
    for (const statement of deletes) statement.run(list);
    return ids.length;
  };
}
