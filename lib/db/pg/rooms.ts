// Room queries on PostgreSQL (rooms.ts on SQLite), as named prepared statements. Times are passed, never
// left to CURRENT_TIMESTAMP (which a `timestamp` column takes in the session's time zone).
import type { RoomQueries, RoomRecord } from "../data-layer";
import type { Member } from "../../notify/mentions";
import { isUniqueViolation, unstorable } from "./errors";
import { inTransaction, type Pool } from "./pool";

const ROOM_COLUMNS = `r."id", r."name", CASE WHEN r."kind" = 'dm' THEN 'dm' ELSE 'room' END AS "kind", r."private"`;

export function pgRoomQueries(pool: Pool): RoomQueries {
  async function rows<T>(name: string, text: string, values: unknown[] = []): Promise<T[]> {
    return (await pool.query<T & object>({ name, text, values })).rows;
  }
  const count = async (name: string, text: string, values: unknown[]) =>
    (await rows<{ n: number }>(name, text, values))[0]?.n ?? 0;
  return {
    async findRoom(name) {
      if (unstorable(name)) return null;
      const [row] = await rows<RoomRecord>(
        "rooms-find",
        `SELECT ${ROOM_COLUMNS} FROM "Room" r WHERE r."nameKey" = $1`,
        [name.toLowerCase()],
      );
      return row ?? null;
    },
    async createRoom(room, memberIds) {
      try {
        return await inTransaction(pool, async (client) => {
          const { rows: made } = await client.query<RoomRecord>({
            name: "rooms-create",
            text: `INSERT INTO "Room" AS r ("name", "nameKey", "kind", "private", "createdById", "createdAt")
                   VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT ("nameKey") DO NOTHING RETURNING ${ROOM_COLUMNS}`,
            values: [room.name, room.name.toLowerCase(), room.kind, room.private, room.createdById, new Date()],
          });
          const row = made[0];
          if (!row) return null;
          await client.query({
            name: "rooms-create-members",
            text: `INSERT INTO "Membership" ("roomId", "userId", "joinedAt") SELECT $1, u, $3 FROM unnest($2::int[]) AS u`,
            values: [row.id, memberIds, new Date()],
          });
          return row;
        });
      } catch (err) {
        if (isUniqueViolation(err)) return null;
        throw err;
      }
    },
    async membership(roomId, userId) {
      const [row] = await rows<{ lastReadId: number }>(
        "rooms-membership",
        `SELECT "lastReadId" FROM "Membership" WHERE "roomId" = $1 AND "userId" = $2`,
        [roomId, userId],
      );
      return row ?? null;
    },
    async addMember(roomId, userId, readUpTo) {
      const added = await rows(
        "rooms-add-member",
        `INSERT INTO "Membership" ("roomId", "userId", "lastReadId", "joinedAt") VALUES ($1, $2, $3, $4)
         ON CONFLICT ("roomId", "userId") DO NOTHING RETURNING "roomId"`,
        [roomId, userId, readUpTo, new Date()],
      );
      return added.length > 0;
    },
    async removeMember(roomId, userId) {
      const removed = await rows(
        "rooms-remove-member",
        `DELETE FROM "Membership" WHERE "roomId" = $1 AND "userId" = $2 RETURNING "roomId"`,
        [roomId, userId],
      );
      return removed.length > 0;
    },
    /** moves the read marker forward only (a stale tab cannot mark read messages unread again) */
    async markRead(roomId, userId, lastReadId) {
      const [row] = await rows<{ lastReadId: number }>(
        "rooms-mark-read",
        `UPDATE "Membership" SET "lastReadId" = GREATEST("lastReadId", $3) WHERE "roomId" = $1 AND "userId" = $2
         RETURNING "lastReadId"`,
        [roomId, userId, lastReadId],
      );
      return row?.lastReadId ?? 0;
    },
    roomsOf: (userId) =>
      rows<RoomRecord & { lastReadId: number }>(
        "rooms-of",
        `SELECT ${ROOM_COLUMNS}, m."lastReadId" FROM "Membership" m JOIN "Room" r ON r."id" = m."roomId"
          WHERE m."userId" = $1 ORDER BY r."name"`,
        [userId],
      ),
    async roomNamesOf(userId) {
      const found = await rows<{ name: string }>(
        "rooms-names-of",
        `SELECT r."name" FROM "Membership" m JOIN "Room" r ON r."id" = m."roomId" WHERE m."userId" = $1 ORDER BY r."name"`,
        [userId],
      );
      return found.map((r) => r.name);
    },
    async memberNames(roomId) {
      const found = await rows<{ username: string }>(
        "rooms-member-names",
        `SELECT u."username" FROM "Membership" m JOIN "User" u ON u."id" = m."userId" WHERE m."roomId" = $1 ORDER BY u."usernameKey"`,
        [roomId],
      );
      return found.map((r) => r.username);
    },
    async memberIds(roomId) {
      const found = await rows<{ userId: number }>(
        "rooms-member-ids",
        `SELECT "userId" FROM "Membership" WHERE "roomId" = $1`,
        [roomId],
      );
      return found.map((r) => r.userId);
    },
    members: (roomId) =>
      rows<Member>(
        "rooms-members",
        `SELECT m."userId", u."username" FROM "Membership" m JOIN "User" u ON u."id" = m."userId" WHERE m."roomId" = $1`,
        [roomId],
      ),
    publicRooms: () =>
      rows<RoomRecord>(
        "rooms-public",
        `SELECT ${ROOM_COLUMNS} FROM "Room" r WHERE r."kind" = 'room' AND r."private" = false ORDER BY r."nameKey"`,
      ),
    /** messages by others (webhooks' posts included, even the user's own hooks') after the read marker */
    unreadCount: (room, userId, lastReadId, upTo) =>
      count(
        "rooms-unread",
        `SELECT count(*) AS "n" FROM "Message" WHERE "room" = $1 AND "id" > $3 AND ($4::int IS NULL OR "id" <= $4)
            AND ("userId" <> $2 OR "botName" IS NOT NULL)`,
        [room, userId, lastReadId, upTo ?? null],
      ),
    /** unread mentions: the Mention table holds no row for a message's own author */
    mentionCount: (room, userId, lastReadId, upTo) =>
      count(
        "rooms-mentions",
        `SELECT count(*) AS "n" FROM "Mention"
          WHERE "userId" = $2 AND "room" = $1 AND "messageId" > $3 AND ($4::int IS NULL OR "messageId" <= $4)`,
        [room, userId, lastReadId, upTo ?? null],
      ),
    async lastMessageId(room) {
      const [row] = await rows<{ id: number }>(
        "rooms-last-message",
        `SELECT "id" FROM "Message" WHERE "room" = $1 ORDER BY "id" DESC LIMIT 1`,
        [room],
      );
      return row?.id ?? 0;
    },
  };
}
