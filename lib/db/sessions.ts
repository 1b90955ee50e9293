import type { Db } from "./client";
import type { HotReads } from "./hot-reads";

export interface SessionRecord {
  id: number;
  userId: number;
  username: string;
  expiresAt: Date;
}

export function sessionQueries(db: Db, reads: HotReads) {
  return {
    async createSession(userId: number, tokenHash: string, expiresAt: Date): Promise<number> {
      const row = await db.session.create({ data: { userId, tokenHash, expiresAt }, select: { id: true } });
      return row.id;
    },
    /** every authenticated request asks this: a prepared statement, not an ORM query (see hot-reads.ts) */
    findSession: (tokenHash: string): Promise<SessionRecord | null> => Promise.resolve(reads.findSession(tokenHash)),
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
