// The one Prisma client of the process, over better-sqlite3 through Prisma's driver adapter.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../generated/prisma/client";
import { autoCheckpointPragma, synchronousName, WRITER_PRAGMAS, type EffectivePragmas } from "./pragmas";

export type Db = PrismaClient;

export async function openDb(databasePath: string): Promise<Db> {
  mkdirSync(path.dirname(databasePath), { recursive: true });
  const adapter = new PrismaBetterSqlite3({ url: `file:${databasePath}`, timeout: 5000 });
  const db = new PrismaClient({ adapter });
  for (const pragma of WRITER_PRAGMAS) await db.$queryRawUnsafe(`PRAGMA ${pragma}`);
  return db;
}

export async function setAutoCheckpoint(db: Db, on: boolean): Promise<void> {
  await db.$queryRawUnsafe(`PRAGMA ${autoCheckpointPragma(on)}`);
}

/** true when the database answers */
export async function isReachable(db: Db): Promise<boolean> {
  try {
    await db.$queryRawUnsafe("SELECT 1");
    return true;
  } catch {
    return false;
  }
}

/** What Prisma's connection runs with (SQLite's numbers come back as bigint through the adapter) */
export async function readPragmas(db: Db): Promise<EffectivePragmas> {
  const one = async (name: string): Promise<unknown> => {
    const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(`PRAGMA ${name}`);
    return Object.values(rows[0] ?? {})[0];
  };
  const journalMode = await one("journal_mode");
  const synchronous = await one("synchronous");
  const foreignKeys = await one("foreign_keys");
  return {
    journalMode: String(journalMode),
    synchronous: synchronousName(Number(synchronous)),
    foreignKeys: Number(foreignKeys) === 1,
  };
}
