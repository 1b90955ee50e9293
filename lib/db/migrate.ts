// Brings the database file to the committed migrations (prisma/migrations) at start-up.
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { migrateEmptyDatabase } from "./migrate-empty";
import { openSchemaEngine } from "./schema-engine";

export const PRISMA_DIR = path.resolve(process.cwd(), "prisma");
export const MIGRATIONS_DIR = path.join(PRISMA_DIR, "migrations");
export const SCHEMA_PATH = path.join(PRISMA_DIR, "schema.prisma");

function committedMigrations(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** Names of committed migrations the database has not finished; read directly so a warm start skips the engine. */
export function pendingMigrations(databasePath: string, dir: string): string[] {
  const all = committedMigrations(dir);
  if (!existsSync(databasePath)) return all;
  const sqlite = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    const table = sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'")
      .get();
    if (!table) return all;
    const done = new Set(
      sqlite
        .prepare("SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL")
        .all()
        .map((r) => (r as { name: string }).name),
    );
    return all.filter((m) => !done.has(m));
  } finally {
    sqlite.close();
  }
}

/** Applies pending migrations (what `prisma migrate deploy` does): to a new file directly, else through the wasm schema engine. */
export async function migrateDatabase(
  databasePath: string,
  opts: { migrationsDir?: string; schemaPath?: string } = {},
): Promise<string[]> {
  const migrationsDir = opts.migrationsDir ?? MIGRATIONS_DIR;
  const pending = pendingMigrations(databasePath, migrationsDir);
  if (pending.length === 0) return [];
  mkdirSync(path.dirname(databasePath), { recursive: true });
  const applied = migrateEmptyDatabase(databasePath, migrationsDir, pending);
  if (applied) return applied;
  const engine = await openSchemaEngine({
    url: `file:${databasePath}`,
    schemaPath: opts.schemaPath ?? SCHEMA_PATH,
    migrationsDir,
  });
  try {
    return await engine.deploy();
  } finally {
    await engine.close();
  }
}
