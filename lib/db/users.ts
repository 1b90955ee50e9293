import { Prisma } from "../generated/prisma/client";
import type { Db } from "./client";

export interface UserRecord {
  id: number;
  username: string;
  passwordHash: string;
}

const userFields = { id: true, username: true, passwordHash: true } as const;

export function userQueries(db: Db) {
  return {
    /** null when the (case-insensitive) username is taken */
    async createUser(username: string, passwordHash: string): Promise<UserRecord | null> {
      try {
        return await db.user.create({
          data: { username, usernameKey: username.toLowerCase(), passwordHash },
          select: userFields,
        });
      } catch (err) {
        if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") return null;
        throw err;
      }
    },
    findUserByName(username: string): Promise<UserRecord | null> {
      return db.user.findUnique({ where: { usernameKey: username.toLowerCase() }, select: userFields });
    },
  };
}
export type UserQueries = ReturnType<typeof userQueries>;
