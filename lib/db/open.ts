// Opens the database behind the data layer. PostgreSQL: lib/db/pg/open.ts. SQLite: migrations, then four connections — Prisma's, the
// group-commit message writer's, the prepared reads' and the checkpoint worker's — and the hourly purge of
// expired sessions. Nothing outside lib/db opens or queries the database.
import { stat } from "node:fs/promises";
import { isPostgresUrl } from "../config";
import { adminQueries } from "./admin";
import { startCheckpointer } from "./checkpointer";
import type { Faults } from "../fault";
import { isReachable, openDb, readPragmas, setAutoCheckpoint } from "./client";
import type { AdminQueries, DataLayer } from "./data-layer";
import { createMessageWriter } from "./message-writer";
import { messageQueries } from "./messages";
import { migrateDatabase } from "./migrate";
import { notificationQueries } from "./notifications";
import { profileQueries } from "./profiles";
import { pushQueries } from "./push";
import { apiTokenQueries } from "./api-tokens";
import { hookQueries } from "./hooks";
import { notReadyReason } from "./readiness";
import { createPreparedReads, settled } from "./prepared-reads";
import { roomQueries } from "./rooms";
import { scheduleSessionPurge } from "./session-purge";
import { sessionQueries } from "./sessions";
import { uploadQueries } from "./uploads";
import { userQueries } from "./users";

/** The SQLite file and its write-ahead log (the shared-memory index is not data). */
async function fileBytes(databasePath: string): Promise<number> {
  const sizes = await Promise.all(
    [databasePath, `${databasePath}-wal`].map((f) =>
      stat(f).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  return sizes.reduce((a, b) => a + b, 0);
}

export interface OpenOptions {
  /** PostgreSQL only: connections in the pool (DATABASE_POOL_SIZE) */
  poolSize?: number;
  /** test-only crash points (lib/fault.ts) */
  faults?: Faults;
  /** told of every group commit: its operations and the seconds it took (for /metrics) */
  onCommit?: (size: number, seconds: number) => void;
}

/** the SQLite file a `file:` URL or a plain path names */
const sqlitePath = (target: string): string => (target.startsWith("file:") ? target.slice("file:".length) : target);

/** PostgreSQL's data layer (and node-postgres) load only when a DATABASE_URL asks for it: not at every SQLite start */
const pgOpen = () => import("./pg/open");

/**
 * Opens the database `target` names: a postgresql:// (or postgres://) URL opens PostgreSQL (lib/db/pg);
 * anything else is the SQLite file (a path, or a `file:` URL).
 */
export async function openDatabase(target: string, opts: OpenOptions = {}): Promise<DataLayer> {
  if (isPostgresUrl(target)) return (await pgOpen()).openPgDatabase(target, opts);
  return openSqliteDatabase(sqlitePath(target), opts);
}

async function openSqliteDatabase(databasePath: string, opts: OpenOptions): Promise<DataLayer> {
  await migrateDatabase(databasePath);
  const db = await openDb(databasePath);
  const writer = createMessageWriter(databasePath, opts);
  const reads = createPreparedReads(databasePath);
  const autoCheckpoint = async (on: boolean) => {
    writer.autoCheckpoint(on);
    await setAutoCheckpoint(db, on);
  };
  // checkpoints move to a worker thread; should it fail, commits checkpoint again as SQLite does by default
  await autoCheckpoint(false);
  const checkpointer = startCheckpointer(databasePath, {
    onFailure: () => void autoCheckpoint(true).catch(() => undefined),
  });
  const sessions = sessionQueries(db, reads);
  const stopPurge = scheduleSessionPurge(sessions);
  return {
    users: userQueries(db),
    profiles: profileQueries(db),
    sessions,
    apiTokens: apiTokenQueries(db),
    hooks: hookQueries(db),
    rooms: {
      ...roomQueries(db),
      // the checks of every send and message action, and a read marker's counts: prepared reads, not Prisma
      // (see prepared-reads.ts)
      findRoom: (name) => settled(() => reads.findRoom(name)),
      membership: (roomId, userId) => settled(() => reads.membership(roomId, userId)),
      lastMessageId: (room) => settled(() => reads.lastMessageId(room)),
      unreadCount: (room, userId, lastReadId, upTo) => settled(() => reads.unreadCount(room, userId, lastReadId, upTo)),
      mentionCount: (room, userId, lastReadId, upTo) =>
        settled(() => reads.mentionCount(room, userId, lastReadId, upTo)),
      roomNamesOf: (userId) => settled(() => reads.roomNamesOf(userId)),
      markRead: (roomId, userId, lastReadId) => writer.markRead(roomId, userId, lastReadId),
    },
    messages: messageQueries(reads, writer),
    search: {
      search: (filter) =>
        settled(() => {
          writer.indexForSearch(); // what was stored since the last batch is found too
          return reads.search(filter);
        }),
    },
    notifications: notificationQueries(db),
    push: pushQueries(db),
    admin: adminQueries(db),
    uploads: uploadQueries(db),
    healthy: () => isReachable(db),
    notReadyReason: () => Promise.resolve(notReadyReason(databasePath)),
    storageBytes: () => fileBytes(databasePath),
    pragmas: async () => ({ prisma: await readPragmas(db), messageWriter: writer.pragmas() }),
    async close(): Promise<void> {
      stopPurge();
      await checkpointer.close();
      writer.close();
      reads.close();
      await db.$disconnect();
    },
  };
}

/**
 * Just the administration queries, on a connection of its own: what `npm run admin` uses, beside a running
 * server (WAL lets both write; SQLite serialises them) or without one. Migrates first, like the server.
 */
export async function openAdminDatabase(target: string): Promise<{ admin: AdminQueries; close(): Promise<void> }> {
  if (isPostgresUrl(target)) return (await pgOpen()).openPgAdminDatabase(target);
  const databasePath = sqlitePath(target);
  await migrateDatabase(databasePath);
  const db = await openDb(databasePath);
  return { admin: adminQueries(db), close: () => db.$disconnect() };
}
