import { Prisma } from "../generated/prisma/client";
import type { Db } from "./client";
import type { Admission, UserQueries, UserRecord } from "./data-layer";

const userFields = { id: true, username: true, passwordHash: true, admin: true, deactivatedAt: true } as const;
type UserRow = Prisma.UserGetPayload<{ select: typeof userFields }>;
type Tx = Prisma.TransactionClient;

const toRecord = ({ deactivatedAt, ...u }: UserRow): UserRecord => ({ ...u, deactivated: deactivatedAt !== null });

/** thrown inside the transaction to roll the new account back */
class Refused extends Error {}

/** Whether `admission` lets a second (or later) account in; an invite use is taken here, in the transaction. */
async function admitted(tx: Tx, admission: Admission): Promise<boolean> {
  if (admission.kind === "open") return true;
  if (admission.kind === "first-only") return false;
  const { count } = await tx.invite.updateMany({
    where: {
      codeHash: admission.codeHash,
      revokedAt: null,
      expiresAt: { gt: admission.now },
      used: { lt: tx.invite.fields.maxUses },
    },
    data: { used: { increment: 1 } },
  });
  return count === 1;
}

export function userQueries(db: Db): UserQueries {
  return {
    async createUser(username, passwordHash, admission = { kind: "open" }) {
      try {
        return await db.$transaction(async (tx) => {
          const user = await tx.user.create({
            data: {
              username,
              usernameKey: username.toLowerCase(),
              passwordHash,
              // every user is in general
              memberships: { create: { room: { connect: { nameKey: "general" } } } },
            },
            select: userFields,
          });
          // the insert holds SQLite's write lock until the commit: no other account can appear meanwhile,
          // so of two registrations racing on an empty database exactly one sees itself alone
          const first = (await tx.user.count({ where: { id: { not: user.id } } })) === 0;
          if (first)
            return toRecord(
              await tx.user.update({ where: { id: user.id }, data: { admin: true }, select: userFields }),
            );
          if (!(await admitted(tx, admission))) throw new Refused();
          return toRecord(user);
        });
      } catch (err) {
        if (err instanceof Refused) return "refused";
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
          deactivatedAt: true,
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
    async findUserByName(username) {
      const row = await db.user.findFirst({ where: { usernameKey: username.toLowerCase() }, select: userFields });
      return row ? toRecord(row) : null;
    },
  };
}
