// The search index (FTS5 "MessageSearch") is filled here, in batches, rather than by a trigger inside each
// message's commit (migration 20261207180000_search_batched): one FTS5 segment for many messages instead of
// one per commit, and a message's own commit — whose fsync every ack waits for — writes 5 WAL frames, not 13.
// A batch indexes every message above "SearchIndexMark" as it stands then, and moves the mark, in one
// transaction. It runs before every search (so a search sees every committed message), every second, at
// start (what a crash left unindexed) and at close. A batch lost in a crash costs nothing but its redoing.
import type Database from "better-sqlite3";

export interface SearchIndexer {
  /** indexes every message above the mark; how many ids it covered (0 when there were none) */
  flush(): number;
  /**
   * Moves the mark back to the highest id ever given, should it be past it: a migration that rebuilds
   * "Message" (Prisma's RedefineTables) resets AUTOINCREMENT's counter to the highest id it copied, and ids
   * above that would then be given again, below the mark, and never indexed.
   */
  reconcile(): void;
}

export function createSearchIndexer(conn: Database.Database): SearchIndexer {
  const range = conn.prepare<[], { top: number; upTo: number }>(
    `SELECT (SELECT COALESCE(MAX("id"), 0) FROM "Message") AS "top", "upTo" FROM "SearchIndexMark"`,
  );
  // OR REPLACE: should a rowid ever be indexed twice, the index keeps one text for it, not both
  const index = conn.prepare<[number, number]>(
    `INSERT OR REPLACE INTO "MessageSearch" (rowid, content, author)
       SELECT "id", "content", 'u' || "userId" FROM "Message" WHERE "id" > ? AND "id" <= ? AND "deleted" = 0`,
  );
  const mark = conn.prepare<[number]>(`UPDATE "SearchIndexMark" SET "upTo" = ?`);
  const batch = conn.transaction((): number => {
    const row = range.get();
    if (!row) throw new Error('"SearchIndexMark" has no row: the search index cannot be kept');
    const { top, upTo } = row;
    if (top <= upTo) return 0;
    index.run(upTo, top);
    mark.run(top);
    return top - upTo;
  });
  const reconcile = conn.prepare(
    `UPDATE "SearchIndexMark" SET "upTo" = MIN("upTo",
       COALESCE((SELECT "seq" FROM sqlite_sequence WHERE "name" = 'Message'), 0))`,
  );
  return {
    reconcile: () => void reconcile.run(),
    // no fsync of its own: the index can always be rebuilt from "Message" above the mark, and the next
    // message's commit (synchronous = FULL) flushes these pages to disk with its own
    flush(): number {
      if (conn.inTransaction) return batch(); // a caller's transaction (the bench's seeding): its commit decides
      // every search asks first: with nothing new, no transaction and no switching of pragmas
      const now = range.get();
      if (now && now.top <= now.upTo) return 0;
      const before = conn.pragma("synchronous", { simple: true }) as number;
      conn.pragma("synchronous = NORMAL");
      try {
        return batch();
      } finally {
        conn.pragma(`synchronous = ${before}`);
      }
    },
  };
}
