import { Prisma } from "../generated/prisma/client";
import type { Db } from "./client";
import type { RoomQueries, RoomRecord } from "./data-layer";

const roomFields = { id: true, name: true, kind: true, private: true } as const;
const asRoom = (r: { id: number; name: string; kind: string; private: boolean }): RoomRecord => ({
  ...r,
  kind: r.kind === "dm" ? "dm" : "room",
});

/**
 * The room queries through Prisma. open.ts adds the rest: `roomNamesOf` is a prepared read, and read markers
 * move in the message writer's batches (read-markers.ts).
 */
export function roomQueries(db: Db): Omit<RoomQueries, "roomNamesOf" | "markRead"> {
  return {
    async findRoom(name: string): Promise<RoomRecord | null> {
      const row = await db.room.findFirst({ where: { nameKey: name.toLowerCase() }, select: roomFields });
      return row && asRoom(row);
    },
    /** null when the name is taken (case-insensitively); the members are added in the same transaction */
    async createRoom(
      room: { name: string; kind: "room" | "dm"; private: boolean; createdById: number },
      memberIds: number[],
    ): Promise<RoomRecord | null> {
      try {
        const row = await db.room.create({
          data: {
            ...room,
            nameKey: room.name.toLowerCase(),
            members: { create: memberIds.map((userId) => ({ userId })) },
          },
          select: roomFields,
        });
        return asRoom(row);
      } catch (err) {
        if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") return null;
        throw err;
      }
    },
    /** the member's read marker, or null when not a member */
    async membership(roomId: number, userId: number): Promise<{ lastReadId: number } | null> {
      // findFirst, not findUnique: Prisma merges concurrent findUniques into one query, which a burst of
      // sends would push past SQLite's parameter limit
      return db.membership.findFirst({ where: { roomId, userId }, select: { lastReadId: true } });
    },
    /** adds (or keeps) a member; a new member starts with everything before `readUpTo` read */
    async addMember(roomId: number, userId: number, readUpTo: number): Promise<boolean> {
      const existing = await db.membership.findUnique({ where: { roomId_userId: { roomId, userId } } });
      if (existing) return false;
      await db.membership.create({ data: { roomId, userId, lastReadId: readUpTo } });
      return true;
    },
    async removeMember(roomId: number, userId: number): Promise<boolean> {
      const { count } = await db.membership.deleteMany({ where: { roomId, userId } });
      return count > 0;
    },
    /** every room of a user with their read marker */
    async roomsOf(userId: number): Promise<(RoomRecord & { lastReadId: number })[]> {
      const rows = await db.membership.findMany({
        where: { userId },
        select: { lastReadId: true, room: { select: roomFields } },
        orderBy: { room: { name: "asc" } },
      });
      return rows.map((r) => ({ ...asRoom(r.room), lastReadId: r.lastReadId }));
    },
    async memberNames(roomId: number): Promise<string[]> {
      const rows = await db.membership.findMany({
        where: { roomId },
        select: { user: { select: { username: true } } },
        orderBy: { user: { usernameKey: "asc" } },
      });
      return rows.map((r) => r.user.username);
    },
    async memberIds(roomId: number): Promise<number[]> {
      const rows = await db.membership.findMany({ where: { roomId }, select: { userId: true } });
      return rows.map((r) => r.userId);
    },
    async members(roomId: number) {
      const rows = await db.membership.findMany({
        where: { roomId },
        select: { userId: true, user: { select: { username: true } } },
      });
      return rows.map((r) => ({ userId: r.userId, username: r.user.username }));
    },
    /** unread mentions: the Mention table holds no row for a message's own author */
    mentionCount(room: string, userId: number, lastReadId: number, upTo?: number): Promise<number> {
      const messageId = upTo === undefined ? { gt: lastReadId } : { gt: lastReadId, lte: upTo };
      return db.mention.count({ where: { userId, room, messageId } });
    },
    async publicRooms(): Promise<RoomRecord[]> {
      const rows = await db.room.findMany({
        where: { kind: "room", private: false },
        select: roomFields,
        orderBy: { nameKey: "asc" },
      });
      return rows.map(asRoom);
    },
    /** messages by others (webhooks' posts included, even the user's own hooks') after the read marker */
    unreadCount(room: string, userId: number, lastReadId: number, upTo?: number): Promise<number> {
      const id = upTo === undefined ? { gt: lastReadId } : { gt: lastReadId, lte: upTo };
      return db.message.count({ where: { room, id, OR: [{ userId: { not: userId } }, { botName: { not: null } }] } });
    },
    async lastMessageId(room: string): Promise<number> {
      const row = await db.message.findFirst({ where: { room }, orderBy: { id: "desc" }, select: { id: true } });
      return row?.id ?? 0;
    },
  };
}
