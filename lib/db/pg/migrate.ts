// Brings a PostgreSQL database to the committed migrations (prisma/postgres/migrations) at start-up: what
// `prisma migrate deploy` does, through plain `pg` (no schema engine to load, nothing downloaded). Under Prisma's
// own advisory lock, in Prisma's standard `_prisma_migrations` table, one transaction per migration (the
// script, then its row with the SHA-256 of the file), so Prisma's tools see the same history, and of several
// processes starting at once the first migrates and the others wait, then find nothing left to do.
import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { PRISMA_DIR } from "../migrate";

export const PG_MIGRATIONS_DIR = path.join(PRISMA_DIR, "postgres", "migrations");

/** the key `prisma migrate deploy` locks (pg_advisory_lock) while it migrates */
export const PRISMA_MIGRATE_LOCK = 72707369;

// the table exactly as Prisma's schema engine creates it on PostgreSQL
const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export function committedPgMigrations(dir = PG_MIGRATIONS_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

const checksumOf = (script: Buffer): string => createHash("sha256").update(script).digest("hex");

interface AppliedRow {
  name: string;
  finished: boolean;
}

async function appliedRows(client: pg.ClientBase): Promise<AppliedRow[] | null> {
  const table = await client.query<{ t: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS t`);
  if (!table.rows[0]?.t) return null;
  const rows = await client.query<AppliedRow>(
    `SELECT "migration_name" AS "name", "finished_at" IS NOT NULL AS "finished"
       FROM "_prisma_migrations" WHERE "rolled_back_at" IS NULL`,
  );
  return rows.rows;
}

/** Names of committed migrations the database has not finished (all of them on an empty database). */
export async function pendingPgMigrations(client: pg.ClientBase, dir = PG_MIGRATIONS_DIR): Promise<string[]> {
  const applied = await appliedRows(client);
  const done = new Set((applied ?? []).filter((r) => r.finished).map((r) => r.name));
  return committedPgMigrations(dir).filter((m) => !done.has(m));
}

async function applyOne(client: pg.ClientBase, dir: string, name: string): Promise<void> {
  const script = readFileSync(path.join(dir, name, "migration.sql"));
  const startedAt = new Date();
  await client.query("BEGIN");
  try {
    // one simple-protocol query: the whole file, `;` inside strings and all, in this transaction
    await client.query(script.toString("utf8"));
    await client.query(
      `INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "started_at", "applied_steps_count")
       VALUES ($1, $2, now(), $3, $4, 1)`,
      [randomUUID(), checksumOf(script), name, startedAt],
    );
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw new Error(`migration ${name} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** Applies the pending migrations of `dir` to the database at `url`; the names applied (in order). */
export async function migratePgDatabase(url: string, dir = PG_MIGRATIONS_DIR): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // cheap check first: a warm start takes no lock
    if ((await pendingPgMigrations(client, dir)).length === 0) return [];
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK]);
    try {
      await client.query(MIGRATIONS_TABLE);
      const stuck = (await appliedRows(client))?.find((r) => !r.finished);
      // as Prisma (P3009): a migration that failed half-way needs a person, not a retry
      if (stuck) throw new Error(`migration ${stuck.name} started but did not finish; resolve it before starting`);
      const pending = await pendingPgMigrations(client, dir);
      for (const name of pending) await applyOne(client, dir, name);
      return pending;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}
