// Direct, read-only looks at a test server's SQLite file, independent of Prisma: what is really on disk.
import { existsSync, readFileSync } from "node:fs";
import Database from "better-sqlite3";

/** Runs `fn` over a read-only connection to the database file and closes it. */
export function withSqlite<T>(databasePath: string, fn: (db: Database.Database) => T): T {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Rows of one query. */
export function sqliteAll<T>(databasePath: string, sql: string, ...params: unknown[]): T[] {
  return withSqlite(databasePath, (db) => db.prepare(sql).all(...params) as T[]);
}

/** A number read from the first column of the first row (count(*) and the like). */
export function sqliteNumber(databasePath: string, sql: string, ...params: unknown[]): number {
  return withSqlite(databasePath, (db) =>
    Number(
      db
        .prepare(sql)
        .pluck()
        .get(...params),
    ),
  );
}

/** Whether `needle` occurs anywhere in the database file or its WAL / journal, byte for byte. */
export function databaseFilesContain(databasePath: string, needle: string): boolean {
  const bytes = Buffer.from(needle, "utf8");
  return [databasePath, `${databasePath}-wal`, `${databasePath}-journal`]
    .filter((f) => existsSync(f))
    .some((f) => readFileSync(f).includes(bytes));
}

/** Prisma keeps DateTime in SQLite as epoch milliseconds or as text: either way, a Date. */
export function sqliteDate(value: unknown): Date {
  // PostgreSQL (test/helpers/db.ts) hands over a Date
  if (value instanceof Date) return value;
  if (typeof value === "number" || typeof value === "bigint") return new Date(Number(value));
  if (typeof value === "string") return new Date(/^\d+$/.test(value) ? Number(value) : value);
  throw new Error(`not a date: ${String(value)}`);
}
