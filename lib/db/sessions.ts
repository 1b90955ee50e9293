import type { Db } from "./client";
import type { Prisma } from "../generated/prisma/client";

type TxDb = Prisma.TransactionClient;
import type { SessionQueries, SessionRecord } from "./data-layer";
import { settled, type PreparedReads } from "./prepared-reads";

const SWEEP_SLICE = 500;

/** Every session of `userId` but `keepId`, deleted in one transaction: the ids that were there. */
export async function deleteOtherSessions(db: Db | TxDb, userId: number, keepId: number): Promise<number[]> {
  const where = { userId, id: { not: keepId } };
  const rows = await db.session.findMany({ where, select: { id: true } });
  await db.session.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
  return rows.map((r) => r.id);
}

export function sessionQueries(db: Db, reads: PreparedReads): SessionQueries {
  return {
    async createSession(userId, tokenHash, expiresAt, userAgent = null): Promise<number> {
      const row = await db.session.create({
        data: { userId, tokenHash, expiresAt, userAgent },
        select: { id: true },
      });
      return row.id;
    },
    sessionsOf(userId, now) {
      return db.session.findMany({
        where: { userId, expiresAt: { gt: now } },
        select: { id: true, createdAt: true, lastUsedAt: true, userAgent: true },
        orderBy: [{ lastUsedAt: "desc" }, { id: "desc" }],
      });
    },
    async deleteSessionOf(userId, id) {
      const { count } = await db.session.deleteMany({ where: { id, userId } });
      return count > 0;
    },
    deleteOtherSessions: (userId, keepId) => deleteOtherSessions(db, userId, keepId),
    /** every authenticated request asks this: a prepared statement, not an ORM query (see prepared-reads.ts) */
    findSession: (tokenHash: string): Promise<SessionRecord | null> => settled(() => reads.findSession(tokenHash)),
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
    /**
     * Which of `ids` still exist and have not expired. Runs for every connected socket every few seconds, so
     * it reads slices of 500 on the prepared statements and yields between them: ten thousand sockets never
     * hold the event loop for more than a slice.
     */
    async liveSessionIds(ids: number[], now: Date): Promise<Set<number>> {
      const live = new Set<number>();
      for (let i = 0; i < ids.length; i += SWEEP_SLICE) {
        if (i > 0) await new Promise((resolve) => setImmediate(resolve));
        for (const id of reads.liveSessionIds(ids.slice(i, i + SWEEP_SLICE), now)) live.add(id);
      }
      return live;
    },
    async deleteExpiredSessions(now: Date): Promise<number> {
      const { count } = await db.session.deleteMany({ where: { expiresAt: { lt: now } } });
      return count;
    },
  };
}
