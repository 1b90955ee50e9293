import type { Db } from "./client";

export interface SessionRecord {
  id: number;
  userId: number;
  username: string;
  expiresAt: Date;
}

export function sessionQueries(db: Db) {
  return {
    async createSession(userId: number, tokenHash: string, expiresAt: Date): Promise<number> {
      const row = await db.session.create({ data: { userId, tokenHash, expiresAt }, select: { id: true } });
      return row.id;
    },
    async findSession(tokenHash: string): Promise<SessionRecord | null> {
      // findFirst: Prisma would merge a burst of concurrent findUniques (a mass reconnect) into one query
      // past SQLite's parameter limit
      const row = await db.session.findFirst({
        where: { tokenHash },
        select: { id: true, userId: true, expiresAt: true, user: { select: { username: true } } },
      });
      return row && { id: row.id, userId: row.userId, expiresAt: row.expiresAt, username: row.user.username };
    },
    async extendSession(id: number, expiresAt: Date): Promise<void> {
      await db.session.updateMany({ where: { id }, data: { expiresAt, lastUsedAt: new Date() } });
    },
    /** the deleted session's id, or null when there was none */
    async deleteSession(tokenHash: string): Promise<number | null> {
      const row = await db.session.findUnique({ where: { tokenHash }, select: { id: true } });
      if (!row) return null;
      await db.session.deleteMany({ where: { id: row.id } });
      return row.id;
    },
    /** which of `ids` still exist and have not expired */
    async liveSessionIds(ids: number[], now: Date): Promise<Set<number>> {
      const rows = await db.session.findMany({
        where: { id: { in: ids }, expiresAt: { gt: now } },
        select: { id: true },
      });
      return new Set(rows.map((r) => r.id));
    },
    async deleteExpiredSessions(now: Date): Promise<number> {
      const { count } = await db.session.deleteMany({ where: { expiresAt: { lt: now } } });
      return count;
    },
  };
}
export type SessionQueries = ReturnType<typeof sessionQueries>;
