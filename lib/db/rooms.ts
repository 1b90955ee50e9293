import { Prisma } from "../generated/prisma/client";
import type { Db } from "./client";
import type { RoomQueries, RoomRecord } from "./data-layer";

const roomFields = { id: true, name: true, kind: true, private: true } as const;
export const asRoom = (r: { id: number; name: string; kind: string; private: boolean }): RoomRecord => ({
  ...r,
  kind: r.kind === "dm" ? "dm" : "room",
});

/**
 * The room queries through Prisma. open.ts adds the rest: the room and membership look-ups, the newest id and
 * the unread and mention counts are prepared reads, and read markers move in the message writer's batches
 * (read-markers.ts).
 */
export function roomQueries(
  db: Db,
): Omit<
  RoomQueries,
  "findRoom" | "membership" | "roomNamesOf" | "markRead" | "lastMessageId" | "unreadCount" | "mentionCount"
> {
  return {
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
    async publicRooms(): Promise<RoomRecord[]> {
      const rows = await db.room.findMany({
        where: { kind: "room", private: false },
        select: roomFields,
        orderBy: { nameKey: "asc" },
      });
      return rows.map(asRoom);
    },
  };
}
