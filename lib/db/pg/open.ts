// Opens PostgreSQL behind the data layer (DATABASE_URL=postgresql://…): pending migrations under Prisma's
// advisory lock, then one pool (DATABASE_POOL_SIZE connections) shared by the reads and the group-commit
// message writer, and the hourly purge of expired sessions. Raw SQL through `pg`, named prepared statements
// on the hot paths; no Prisma client here.
import type { AdminQueries, DataLayer } from "../data-layer";
import type { OpenOptions } from "../open";
import { pgAdminQueries } from "./admin";
import { pgApiTokenQueries } from "./api-tokens";
import { pgHookQueries } from "./hooks";
import { pgNotificationQueries } from "./notifications";
import { pgProfileQueries } from "./profiles";
import { pgPushQueries } from "./push";
import { pgUploadQueries } from "./uploads";
import { pgMessageQueries } from "./messages";
import { createPgMessageWriter } from "./message-writer";
import { migratePgDatabase, pendingPgMigrations } from "./migrate";
import { createPool, type Pool } from "./pool";
import { pgRoomQueries } from "./rooms";
import { pgSearchQueries } from "./search";
import { scheduleSessionPurge } from "../session-purge";
import { pgSessionQueries } from "./sessions";
import { pgUserQueries } from "./users";

const DEFAULT_POOL_SIZE = 10;

async function notReadyReason(pool: Pool): Promise<string | null> {
  const client = await pool.connect().catch((err: unknown) => err as Error);
  if (client instanceof Error) return `database cannot be reached: ${client.message}`;
  try {
    const pending = await pendingPgMigrations(client);
    if (pending.length > 0) return `migrating: ${pending.length} migration(s) not yet applied (${pending.join(", ")})`;
    // a standby, or a database set read-only, takes no writes
    const { rows } = await client.query<{ ro: string }>("SHOW transaction_read_only");
    return rows[0]?.ro === "on" ? "database is read-only" : null;
  } catch (err) {
    return `database cannot be read: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    client.release();
  }
}

async function durability(pool: Pool) {
  const { rows } = await pool.query<{ fsync: string; sc: string }>(
    "SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc",
  );
  return { pool: { fsync: rows[0]!.fsync, synchronousCommit: rows[0]!.sc } };
}

export async function openPgDatabase(url: string, opts: OpenOptions = {}): Promise<DataLayer> {
  await migratePgDatabase(url);
  const pool = createPool(url, opts.poolSize ?? DEFAULT_POOL_SIZE);
  // an idle connection that breaks (server restart) is dropped from the pool; the next query opens another
  pool.on("error", () => undefined);
  const writer = createPgMessageWriter(pool, opts);
  const sessions = pgSessionQueries(pool);
  const stopPurge = scheduleSessionPurge(sessions);
  let closed: Promise<void> | undefined;
  return {
    users: pgUserQueries(pool),
    profiles: pgProfileQueries(pool),
    apiTokens: pgApiTokenQueries(pool),
    hooks: pgHookQueries(pool),
    notifications: pgNotificationQueries(pool),
    push: pgPushQueries(pool),
    admin: pgAdminQueries(pool),
    uploads: pgUploadQueries(pool),
    sessions,
    rooms: pgRoomQueries(pool),
    messages: pgMessageQueries(pool, writer),
    search: pgSearchQueries(pool),
    async healthy() {
      try {
        await pool.query("SELECT 1");
        return true;
      } catch {
        return false;
      }
    },
    notReadyReason: () => notReadyReason(pool),
    async storageBytes() {
      const { rows } = await pool.query<{ n: number }>({
        name: "storage-bytes",
        text: "SELECT pg_database_size(current_database()) AS n",
      });
      return rows[0]?.n ?? 0;
    },
    pragmas: () => durability(pool),
    close() {
      closed ??= (async () => {
        stopPurge();
        await writer.idle();
        await pool.end();
      })();
      return closed;
    },
  };
}

/** Just the administration queries (npm run admin), on a small pool of their own; migrates first. */
export async function openPgAdminDatabase(url: string): Promise<{ admin: AdminQueries; close(): Promise<void> }> {
  await migratePgDatabase(url);
  const pool = createPool(url, 2);
  return { admin: pgAdminQueries(pool), close: () => pool.end() };
}
