// Personal access tokens: named Bearer tokens for scripts, stored as hashes like sessions.
import type { Db } from "./client";
import type { ApiTokenQueries } from "./data-layer";

const listed = { id: true, name: true, createdAt: true, lastUsedAt: true } as const;

export function apiTokenQueries(db: Db): ApiTokenQueries {
  return {
    async createApiToken(userId, name, tokenHash) {
      return db.apiToken.create({ data: { userId, name, tokenHash }, select: listed });
    },
    listApiTokens: (userId) => db.apiToken.findMany({ where: { userId }, select: listed, orderBy: { id: "asc" } }),
    async deleteApiToken(userId, id) {
      const { count } = await db.apiToken.deleteMany({ where: { id, userId } });
      return count > 0;
    },
    async findApiToken(tokenHash) {
      const row = await db.apiToken.findUnique({
        where: { tokenHash },
        select: {
          id: true,
          userId: true,
          lastUsedAt: true,
          user: { select: { username: true, admin: true, deactivatedAt: true } },
        },
      });
      // a deactivated account's tokens stop working with its sessions
      if (!row || row.user.deactivatedAt) return null;
      return {
        id: row.id,
        userId: row.userId,
        username: row.user.username,
        admin: row.user.admin,
        lastUsedAt: row.lastUsedAt,
      };
    },
    async touchApiToken(id, at) {
      await db.apiToken.updateMany({ where: { id }, data: { lastUsedAt: at } });
    },
    async liveApiTokenIds(ids) {
      const rows = await db.apiToken.findMany({ where: { id: { in: ids } }, select: { id: true } });
      return new Set(rows.map((r) => r.id));
    },
  };
}
