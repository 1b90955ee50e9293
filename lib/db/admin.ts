// What administration asks of the database: the admin flag, deactivation, invites, password resets, the
// audit log and the settings an admin changes. Each rule that must hold under concurrency ("never the last
// admin", "an invite's uses") is one conditional statement or one transaction, never a read then a write.
import type { Db } from "./client";
import type { AccountChange, AdminQueries, AdminUserRecord } from "./data-layer";

const adminUserFields = {
  id: true,
  username: true,
  admin: true,
  deactivatedAt: true,
  createdAt: true,
  lastSeenAt: true,
} as const;

/** no active admin but `userId` (the one about to lose the flag or be deactivated) */
const lastAdminCondition = `"admin" = 1 AND NOT EXISTS (SELECT 1 FROM "User" o
  WHERE o."admin" = 1 AND o."deactivatedAt" IS NULL AND o."id" <> "User"."id")`;

/** thrown inside a transaction to roll back a change that would leave no active admin */
class LastAdmin extends Error {}

export function adminQueries(db: Db): AdminQueries {
  /** "unchanged" or "last-admin" after a conditional update changed nothing */
  async function why(userId: number): Promise<AccountChange> {
    const rows = await db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT COUNT(*) AS n FROM "User" WHERE "id" = ? AND ${lastAdminCondition}`,
      userId,
    );
    return Number(rows[0]?.n ?? 0) > 0 ? "last-admin" : "unchanged";
  }

  return {
    async isAdmin(userId) {
      const row = await db.user.findUnique({ where: { id: userId }, select: { admin: true, deactivatedAt: true } });
      return row?.admin === true && row.deactivatedAt === null;
    },
    async hasUsers() {
      return (await db.user.findFirst({ select: { id: true } })) !== null;
    },
    findUser(username): Promise<AdminUserRecord | null> {
      return db.user.findUnique({ where: { usernameKey: username.toLowerCase() }, select: adminUserFields });
    },
    async listUsers(search, limit) {
      if (!search) return db.user.findMany({ select: adminUserFields, orderBy: { usernameKey: "asc" }, take: limit });
      // instr, not Prisma's `contains`: that is a LIKE which leaves "_" and "%" live as patterns
      const ids = await db.$queryRawUnsafe<{ id: number }[]>(
        `SELECT "id" FROM "User" WHERE instr("usernameKey", ?) > 0 ORDER BY "usernameKey" LIMIT ?`,
        search.toLowerCase(),
        limit,
      );
      return db.user.findMany({
        where: { id: { in: ids.map((r) => Number(r.id)) } },
        select: adminUserFields,
        orderBy: { usernameKey: "asc" },
      });
    },
    async setAdmin(userId, admin) {
      const changed = admin
        ? await db.$executeRawUnsafe(`UPDATE "User" SET "admin" = 1 WHERE "id" = ? AND "admin" = 0`, userId)
        : await db.$executeRawUnsafe(
            `UPDATE "User" SET "admin" = 0 WHERE "id" = ? AND "admin" = 1 AND NOT (${lastAdminCondition})`,
            userId,
          );
      return changed === 1 ? "ok" : admin ? "unchanged" : why(userId);
    },
    async deactivate(userId, at) {
      try {
        return await db.$transaction(async (tx) => {
          const { count } = await tx.user.updateMany({
            where: { id: userId, deactivatedAt: null },
            data: { deactivatedAt: at },
          });
          if (count !== 1) return { change: "unchanged" as const, sessionIds: [] };
          // the update holds the write lock: no admin can be granted or revoked between it and this check
          if ((await tx.user.count({ where: { admin: true, deactivatedAt: null } })) === 0) throw new LastAdmin();
          const sessions = await tx.session.findMany({ where: { userId }, select: { id: true } });
          await tx.session.deleteMany({ where: { userId } });
          await tx.passwordReset.deleteMany({ where: { userId, usedAt: null } });
          // API tokens stay (they work again on reactivation) but their sockets close too: a token's socket
          // carries the session id -tokenId
          const tokens = await tx.apiToken.findMany({ where: { userId }, select: { id: true } });
          return { change: "ok" as const, sessionIds: [...sessions.map((s) => s.id), ...tokens.map((t) => -t.id)] };
        });
      } catch (err) {
        if (err instanceof LastAdmin) return { change: "last-admin" as const, sessionIds: [] };
        throw err;
      }
    },
    async reactivate(userId) {
      const { count } = await db.user.updateMany({
        where: { id: userId, deactivatedAt: { not: null } },
        data: { deactivatedAt: null },
      });
      return count === 1 ? "ok" : "unchanged";
    },
    async setting(name) {
      return (await db.serverSetting.findUnique({ where: { name } }))?.value ?? null;
    },
    async setSetting(name, value) {
      await db.serverSetting.upsert({ where: { name }, create: { name, value }, update: { value } });
    },
    async createInvite(invite) {
      return (await db.invite.create({ data: invite, select: { id: true } })).id;
    },
    async listInvites(limit) {
      const rows = await db.invite.findMany({
        where: { revokedAt: null },
        orderBy: { id: "desc" },
        take: limit,
        include: { createdBy: { select: { username: true } } },
      });
      return rows.map(({ createdBy, codeHash: _, createdById: __, ...r }) => ({
        ...r,
        createdBy: createdBy?.username ?? null,
      }));
    },
    async findInvite(codeHash) {
      const row = await db.invite.findUnique({
        where: { codeHash },
        include: { createdBy: { select: { username: true } } },
      });
      if (!row) return null;
      const { createdBy, codeHash: _, createdById: __, ...r } = row;
      return { ...r, createdBy: createdBy?.username ?? null };
    },
    async revokeInvite(id, at) {
      const { count } = await db.invite.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
      return count === 1;
    },
    async createPasswordReset(userId, tokenHash, expiresAt) {
      await db.passwordReset.create({ data: { userId, tokenHash, expiresAt } });
    },
    async passwordResetUser(tokenHash, now) {
      const row = await db.passwordReset.findFirst({
        where: { tokenHash, usedAt: null, expiresAt: { gt: now }, user: { deactivatedAt: null } },
        select: { user: { select: { id: true, username: true } } },
      });
      return row ? { userId: row.user.id, username: row.user.username } : null;
    },
    async usePasswordReset(tokenHash, passwordHash, now) {
      return db.$transaction(async (tx) => {
        const { count } = await tx.passwordReset.updateMany({
          where: { tokenHash, usedAt: null, expiresAt: { gt: now }, user: { deactivatedAt: null } },
          data: { usedAt: now },
        });
        if (count !== 1) return null;
        const reset = await tx.passwordReset.findUniqueOrThrow({
          where: { tokenHash },
          select: { user: { select: { id: true, username: true } } },
        });
        const userId = reset.user.id;
        await tx.user.update({ where: { id: userId }, data: { passwordHash } });
        const sessions = await tx.session.findMany({ where: { userId }, select: { id: true } });
        await tx.session.deleteMany({ where: { userId } });
        return { userId, username: reset.user.username, sessionIds: sessions.map((s) => s.id) };
      });
    },
    async audit(entry) {
      await db.auditEntry.create({ data: entry });
    },
    auditLog(limit) {
      return db.auditEntry.findMany({
        orderBy: { id: "desc" },
        take: limit,
        select: { id: true, actor: true, action: true, target: true, createdAt: true },
      });
    },
  };
}
