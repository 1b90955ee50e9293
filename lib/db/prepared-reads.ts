// The reads every request makes (the session behind a token, history pages, the room and membership checks of
// sends and message actions) and the periodic check of every connected socket's session, as prepared
// statements on a dedicated better-sqlite3 connection. Through Prisma each such read allocated objects that
// survived young-generation GCs (≈ 2.7 MB promoted per scavenge in a page loop, 3 ms pauses that were the
// whole history p99); here a page is one statement and its rows. WAL readers never wait for the writer. On
// PostgreSQL the same reads are named prepared statements through pg (lib/db/pg).
import Database from "better-sqlite3";
import type { Message } from "../protocol";
import { fromSqliteDate, MESSAGE_COLUMNS, type MessageRow } from "./message-rows";
import type { MessageRecord, RoomRecord, SessionRecord } from "./data-layer";
import { createMessageSelects } from "./message-selects";
import { asRoom } from "./rooms";
import { createSearch } from "./search";

interface SessionRow {
  id: number;
  userId: number;
  username: string;
  admin: number;
  expiresAt: string | number;
}

/**
 * A read here as the data layer's promise (its interface is asynchronous, for PostgreSQL): a failed read
 * rejects it, as a Prisma query's would, rather than throwing at the call.
 */
export function settled<T>(read: () => T): Promise<T> {
  try {
    return Promise.resolve(read());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

export function createPreparedReads(databasePath: string) {
  // the file is already migrated and in WAL mode (openDatabase opens Prisma and the writer first). Each
  // statement reads its own snapshot, so a write through Prisma or the writer is seen as soon as it returns:
  // keep it so (no .iterate() holding a read transaction open across awaits). Only reads run here; not opened
  // read-only, which in WAL mode adds failure cases (e.g. no -shm yet) and saves nothing.
  // timeout: a WAL reader is practically never refused; should it be, it waits this long at most, since a
  // wait here holds the event loop
  const conn = new Database(databasePath, { fileMustExist: true, timeout: 50 });
  const session = conn.prepare<[string], SessionRow>(
    // a deactivated user's sessions are deleted with the deactivation; the condition also covers a login
    // that raced it
    `SELECT s."id", s."userId", u."username", u."admin", s."expiresAt"
       FROM "Session" s JOIN "User" u ON u."id" = s."userId"
      WHERE s."tokenHash" = ? AND u."deactivatedAt" IS NULL`,
  );
  const selects = createMessageSelects(conn);
  const { toMessages } = selects;
  const latest = conn.prepare<[string, number], MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM "Message" WHERE "room" = ? ORDER BY "id" DESC LIMIT ?`,
  );
  const after = conn.prepare<[string, number, number], MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM "Message" WHERE "room" = ? AND "id" > ? ORDER BY "id" ASC LIMIT ?`,
  );
  const idsBetween = conn
    .prepare<[string, number, number, number], number>(
      `SELECT "id" FROM "Message" WHERE "room" = ? AND "id" > ? AND "id" <= ? ORDER BY "id" ASC LIMIT ?`,
    )
    .pluck();
  const before = conn.prepare<[string, number, number], MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM "Message" WHERE "room" = ? AND "id" < ? ORDER BY "id" DESC LIMIT ?`,
  );
  const sessionExpiries = conn.prepare<[string], { id: number; expiresAt: string | number }>(
    `SELECT "id", "expiresAt" FROM "Session" WHERE "id" IN (SELECT "value" FROM json_each(?))`,
  );
  // the rooms as one JSON array parameter: one statement for any number of rooms
  const afterIn = conn.prepare<[string, number, number], MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM "Message"
      WHERE "room" IN (SELECT "value" FROM json_each(?)) AND "id" > ? ORDER BY "id" ASC LIMIT ?`,
  );
  // catch-up walks the seq index from `since`, keeping the rows of the user's rooms
  const changedIn = conn.prepare<[string, number, number], MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM "Message"
      WHERE "room" IN (SELECT "value" FROM json_each(?)) AND "seq" > ? ORDER BY "seq" ASC LIMIT ?`,
  );

  const roomByKey = conn.prepare<[string], { id: number; name: string; kind: string; private: number }>(
    `SELECT "id", "name", "kind", "private" FROM "Room" WHERE "nameKey" = ?`,
  );
  const membership = conn
    .prepare<[number, number], number>(`SELECT "lastReadId" FROM "Membership" WHERE "roomId" = ? AND "userId" = ?`)
    .pluck();

  // a room's newest id and the counts of a summary or a read marker (every markRead asks all three)
  const newestId = conn
    .prepare<[string], number>(`SELECT "id" FROM "Message" WHERE "room" = ? ORDER BY "id" DESC LIMIT 1`)
    .pluck();
  const unread = conn
    .prepare<[string, number, number, number], number>(
      `SELECT count(*) FROM "Message"
        WHERE "room" = ? AND "id" > ? AND "id" <= ? AND ("userId" <> ? OR "botName" IS NOT NULL)`,
    )
    .pluck();
  const mentions = conn
    .prepare<[number, string, number, number], number>(
      `SELECT count(*) FROM "Mention" WHERE "userId" = ? AND "room" = ? AND "messageId" > ? AND "messageId" <= ?`,
    )
    .pluck();

  const roomNames = conn
    .prepare<[number], string>(
      `SELECT r."name" FROM "Membership" m JOIN "Room" r ON r."id" = m."roomId" WHERE m."userId" = ? ORDER BY r."name"`,
    )
    .pluck();

  const search = createSearch(conn, selects);

  return {
    search,
    findSession(tokenHash: string): SessionRecord | null {
      const row = session.get(tokenHash);
      return row
        ? {
            id: row.id,
            userId: row.userId,
            username: row.username,
            admin: row.admin === 1,
            expiresAt: fromSqliteDate(row.expiresAt),
          }
        : null;
    },
    /** which of `ids` exist with an expiry after `now` */
    liveSessionIds(ids: number[], now: Date): Set<number> {
      const t = now.getTime();
      const rows = sessionExpiries.all(JSON.stringify(ids));
      return new Set(rows.filter((r) => fromSqliteDate(r.expiresAt).getTime() > t).map((r) => r.id));
    },
    /** the newest `limit` messages of `room`, oldest first */
    latestMessages(room: string, limit: number): Message[] {
      return toMessages(latest.all(room, limit).reverse());
    },
    messagesAfter(room: string, afterId: number, limit: number): Message[] {
      return toMessages(after.all(room, afterId, limit));
    },
    messageIdsBetween(room: string, afterId: number, upToId: number, limit: number): number[] {
      return idsBetween.all(room, afterId, upToId, limit);
    },
    /** the `limit` messages just before `beforeId`, oldest first */
    messagesBefore(room: string, beforeId: number, limit: number): Message[] {
      return toMessages(before.all(room, beforeId, limit).reverse());
    },
    /** gap fill across rooms: what came after `afterId` in any of `rooms`, oldest first */
    messagesAfterIn(rooms: string[], afterId: number, limit: number): Message[] {
      return rooms.length ? toMessages(afterIn.all(JSON.stringify(rooms), afterId, limit)) : [];
    },
    /** what was created or changed after `since` in any of `rooms`, ascending by seq */
    changesIn(rooms: string[], since: number, limit: number): Message[] {
      return rooms.length ? toMessages(changedIn.all(JSON.stringify(rooms), since, limit)) : [];
    },
    /** a room by name, case-insensitively (sends and message actions check it when the cache has not) */
    findRoom(name: string): RoomRecord | null {
      const row = roomByKey.get(name.toLowerCase());
      return row ? asRoom({ ...row, private: row.private !== 0 }) : null;
    },
    /** the member's read marker, or null when not a member */
    membership(roomId: number, userId: number): { lastReadId: number } | null {
      const lastReadId = membership.get(roomId, userId);
      return lastReadId === undefined ? null : { lastReadId };
    },
    lastMessageId(room: string): number {
      return newestId.get(room) ?? 0;
    },
    /** messages by others (webhooks' posts included, even the user's own hooks') after the read marker */
    unreadCount(room: string, userId: number, lastReadId: number, upTo = Number.MAX_SAFE_INTEGER): number {
      return unread.get(room, lastReadId, upTo, userId) ?? 0;
    },
    /** unread mentions: the Mention table holds no row for a message's own author */
    mentionCount(room: string, userId: number, lastReadId: number, upTo = Number.MAX_SAFE_INTEGER): number {
      return mentions.get(userId, room, lastReadId, upTo) ?? 0;
    },
    /** the names of every room `userId` is in (every search and gap fill asks) */
    roomNamesOf(userId: number): string[] {
      return roomNames.all(userId);
    },
    findMessage(id: number): MessageRecord | null {
      const row = selects.row(id);
      return row ? { message: toMessages([row])[0]!, authorId: row.userId } : null;
    },
    close(): void {
      conn.close();
    },
  };
}
export type PreparedReads = ReturnType<typeof createPreparedReads>;
