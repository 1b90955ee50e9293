// The one Prisma client of the process, over better-sqlite3 through Prisma's driver adapter.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../generated/prisma/client";

export type Db = PrismaClient;

export async function openDb(databasePath: string): Promise<Db> {
  mkdirSync(path.dirname(databasePath), { recursive: true });
  const adapter = new PrismaBetterSqlite3({ url: `file:${databasePath}`, timeout: 5000 });
  const db = new PrismaClient({ adapter });
  // WAL lets readers run beside the writer. synchronous=FULL fsyncs the WAL at every commit, so a message
  // is on disk before its ack leaves: with NORMAL a power cut could lose acked messages (WAL is only
  // synced at checkpoints), which breaks "acked means durable".
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$queryRawUnsafe("PRAGMA synchronous = FULL");
  await db.$queryRawUnsafe("PRAGMA foreign_keys = ON");
  return db;
}

/** SQLite's checkpoint inside commits (see lib/db/checkpointer.ts): off while the checkpoint worker runs. */
export async function setAutoCheckpoint(db: Db, on: boolean): Promise<void> {
  await db.$queryRawUnsafe(`PRAGMA wal_autocheckpoint = ${on ? 1000 : 0}`);
}
