import { Prisma } from "../generated/prisma/client";
import type { Db } from "./client";
import type { UserQueries } from "./data-layer";

const userFields = { id: true, username: true, passwordHash: true } as const;

export function userQueries(db: Db): UserQueries {
  return {
    /** null when the (case-insensitive) username is taken */
    async createUser(username, passwordHash) {
      try {
        return await db.user.create({
          data: {
            username,
            usernameKey: username.toLowerCase(),
            passwordHash,
            // every user is in general
            memberships: { create: { room: { connect: { nameKey: "general" } } } },
          },
          select: userFields,
        });
      } catch (err) {
        if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") return null;
        throw err;
      }
    },
    async listUsers() {
      const rows = await db.user.findMany({
        select: {
          id: true,
          username: true,
          lastSeenAt: true,
          displayName: true,
          statusText: true,
          avatar: { select: { id: true } },
        },
        orderBy: { usernameKey: "asc" },
      });
      return rows.map(({ avatar, ...u }) => ({ ...u, avatarId: avatar?.id ?? null }));
    },
    async setLastSeen(userId: number, at: Date): Promise<void> {
      await db.user.updateMany({ where: { id: userId }, data: { lastSeenAt: at } });
    },
    findUserByName(username) {
      return db.user.findFirst({ where: { usernameKey: username.toLowerCase() }, select: userFields });
    },
  };
}
