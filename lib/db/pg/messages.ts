// Message queries on PostgreSQL: writes through the group-commit writer (message-writer.ts), reads as named
// prepared statements on the pool, each page its rows plus one statement per kind of detail (message-selects.ts).
import type { MessageQueries } from "../data-layer";
import type { MessageRow } from "../message-rows";
import { MESSAGE_COLUMNS, messageRow, toMessages } from "./message-selects";
import type { PgMessageWriter } from "./message-writer";
import type { Pool } from "./pool";

const READS = {
  latest: `SELECT ${MESSAGE_COLUMNS} FROM "Message" WHERE "room" = $1 ORDER BY "id" DESC LIMIT $2`,
  after: `SELECT ${MESSAGE_COLUMNS} FROM "Message" WHERE "room" = $1 AND "id" > $2 ORDER BY "id" ASC LIMIT $3`,
  idsBetween: `SELECT "id" FROM "Message" WHERE "room" = $1 AND "id" > $2 AND "id" <= $3 ORDER BY "id" ASC LIMIT $4`,
  before: `SELECT ${MESSAGE_COLUMNS} FROM "Message" WHERE "room" = $1 AND "id" < $2 ORDER BY "id" DESC LIMIT $3`,
  afterIn: `SELECT ${MESSAGE_COLUMNS} FROM "Message" WHERE "room" = ANY($1::text[]) AND "id" > $2 ORDER BY "id" ASC LIMIT $3`,
  changedIn: `SELECT ${MESSAGE_COLUMNS} FROM "Message" WHERE "room" = ANY($1::text[]) AND "seq" > $2 ORDER BY "seq" ASC LIMIT $3`,
} as const;

export function pgMessageQueries(pool: Pool, writer: PgMessageWriter): MessageQueries {
  const page = async (name: keyof typeof READS, values: unknown[]): Promise<MessageRow[]> =>
    (await pool.query<MessageRow>({ name: `msg-${name}`, text: READS[name], values })).rows;
  return {
    insertMessage: (m) => writer.insert(m),
    latestMessages: async (room, limit) => toMessages(pool, (await page("latest", [room, limit])).reverse()),
    messagesAfter: async (room, afterId, limit) => toMessages(pool, await page("after", [room, afterId, limit])),
    async messageIdsBetween(room, afterId, upToId, limit) {
      const { rows } = await pool.query<{ id: number }>({
        name: "msg-idsBetween",
        text: READS.idsBetween,
        values: [room, afterId, upToId, limit],
      });
      return rows.map((r) => Number(r.id));
    },
    messagesAfterIn: async (rooms, afterId, limit) =>
      rooms.length ? toMessages(pool, await page("afterIn", [rooms, afterId, limit])) : [],
    messagesBefore: async (room, beforeId, limit) =>
      toMessages(pool, (await page("before", [room, beforeId, limit])).reverse()),
    changesIn: async (rooms, since, limit) =>
      rooms.length ? toMessages(pool, await page("changedIn", [rooms, since, limit])) : [],
    async findMessage(id) {
      const row = await messageRow(pool, id);
      return row ? { message: (await toMessages(pool, [row]))[0]!, authorId: row.userId } : null;
    },
    editMessage: (id, editorId, content, mentions) => writer.change({ kind: "edit", id, editorId, content, mentions }),
    deleteMessage: (id) => writer.change({ kind: "delete", id }),
    addReaction: (id, user, emoji) => writer.change({ kind: "react", id, ...user, emoji }),
    removeReaction: (id, userId, emoji) => writer.change({ kind: "unreact", id, userId, emoji }),
    purgeBefore: (cutoff, limit) => writer.purge(cutoff, limit),
  };
}
