// The hot path of the data layer: storing messages. Group commit on a dedicated better-sqlite3 connection
// with prepared statements, so a message costs microseconds of SQL rather than an ORM round trip (the
// reads are in prepared-reads.ts). A PostgreSQL deployment would write this with one INSERT … ON CONFLICT per batch.
import Database, { SqliteError } from "better-sqlite3";
import { MESSAGE_COLUMNS, prismaTimestamp, toMessage, type MessageRow } from "./message-rows";
import type { NewMessage, Stored } from "./data-layer";
import { autoCheckpointPragma, WRITER_PRAGMAS } from "./pragmas";

const MAX_BATCH = 500;
const BUSY_RETRY_MS = 5;

export function createMessageWriter(databasePath: string) {
  // timeout 0: this connection shares the thread with Prisma's, so it must never sleep waiting for a lock
  // Prisma holds across an await; a busy database is retried later instead (see drain)
  const conn = new Database(databasePath, { timeout: 0 });
  // WAL, and an fsync at every commit so an ack always follows a durable write
  for (const pragma of WRITER_PRAGMAS) conn.pragma(pragma);
  const findStored = conn.prepare<[number, string], MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM "Message" WHERE "userId" = ? AND "clientId" = ?`,
  );
  const insert = conn.prepare<[string, number, string, string, string, string | null], MessageRow>(
    `INSERT INTO "Message" ("room", "userId", "username", "content", "createdAt", "clientId")
     VALUES (?, ?, ?, ?, ?, ?) RETURNING ${MESSAGE_COLUMNS}`,
  );
  // one transaction, one fsync, for the whole batch; a repeated (user, clientId) finds the first one's row
  const writeBatch = conn.transaction((batch: NewMessage[]): Stored[] => {
    const at = prismaTimestamp(new Date());
    return batch.map((m) => {
      const stored = m.clientId ? findStored.get(m.userId, m.clientId) : undefined;
      if (stored) return { message: toMessage(stored), created: false };
      const row = insert.get(m.room, m.userId, m.username, m.content, at, m.clientId ?? null);
      if (!row) throw new Error("INSERT … RETURNING returned no row");
      return { message: toMessage(row), created: true };
    });
  });

  let queue: { m: NewMessage; resolve: (s: Stored) => void; reject: (e: unknown) => void }[] = [];
  let scheduled = false;

  /**
   * Group commit: everything queued while the event loop was busy (including while the last commit's fsync
   * ran) goes into the next transaction. Batches run in arrival order, so ids follow the order messages
   * were received.
   */
  function drain(): void {
    scheduled = false;
    while (queue.length) {
      const batch = queue.slice(0, MAX_BATCH);
      let results: Stored[];
      try {
        results = writeBatch(batch.map((p) => p.m));
      } catch (err) {
        if (err instanceof SqliteError && err.code.startsWith("SQLITE_BUSY")) {
          // another connection (Prisma's) is writing: try again shortly, order kept
          scheduled = true;
          setTimeout(drain, BUSY_RETRY_MS);
          return;
        }
        queue = queue.slice(batch.length);
        batch.forEach((p) => p.reject(err));
        continue;
      }
      queue = queue.slice(batch.length);
      batch.forEach((p, i) => p.resolve(results[i]!));
    }
  }

  return {
    /** Resolves after the commit; a retry of a stored (user, clientId) resolves with the stored row. */
    insert(m: NewMessage): Promise<Stored> {
      return new Promise((resolve, reject) => {
        queue.push({ m, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(drain);
        }
      });
    },
    /** SQLite's checkpoint inside commits: off while lib/db/checkpointer.ts does it on its own thread */
    autoCheckpoint(on: boolean): void {
      conn.pragma(autoCheckpointPragma(on));
    },
    close(): void {
      conn.close();
    },
  };
}
export type MessageWriter = ReturnType<typeof createMessageWriter>;
