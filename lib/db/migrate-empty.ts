// A new database gets the committed migrations without the wasm schema engine: loading and running the engine
// costs about half a second, a third of a first `npm start`. On an empty file nothing can drift and no data
// can be touched, so applying each migration.sql in order and recording it in Prisma's standard
// `_prisma_migrations` table (the row `prisma migrate deploy` writes, checksum = SHA-256 of the file) is all
// the engine would do. Databases that already hold tables keep going through the engine.
import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

// the table exactly as Prisma's schema engine creates it on SQLite
const MIGRATIONS_TABLE = `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/** Prisma's timestamp form: 2026-12-06T18:27:22.852+00:00 */
const prismaTime = () => new Date().toISOString().replace("Z", "+00:00");

/**
 * Applies `names` (from `migrationsDir`, in order) to the database at `databasePath` if it holds no table yet,
 * in one transaction (a crash leaves an empty file, which the next start treats as new again).
 * Returns the names applied, or null when the database is not empty and the engine must do it.
 */
export function migrateEmptyDatabase(databasePath: string, migrationsDir: string, names: string[]): string[] | null {
  const sqlite = new Database(databasePath);
  try {
    const apply = sqlite.transaction(() => {
      const tables = sqlite.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as {
        n: number;
      };
      if (tables.n > 0) return null;
      sqlite.exec(MIGRATIONS_TABLE);
      const record = sqlite.prepare(
        `INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "started_at", "applied_steps_count")
         VALUES (?, ?, ?, ?, ?, 1)`,
      );
      for (const name of names) {
        const script = readFileSync(path.join(migrationsDir, name, "migration.sql"));
        const startedAt = prismaTime();
        sqlite.exec(script.toString("utf8"));
        record.run(randomUUID(), createHash("sha256").update(script).digest("hex"), prismaTime(), name, startedAt);
      }
      return names;
    });
    // IMMEDIATE: a second process opening the same new file waits, then finds the tables and defers
    return apply.immediate();
  } finally {
    sqlite.close();
  }
}
