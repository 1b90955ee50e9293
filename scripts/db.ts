// Offline Prisma tooling: `prisma generate` and migrations without the native schema engine that the Prisma
// CLI would download from Prisma's host (unreachable on locked-down networks). See README, "Database".
//   tsx scripts/db.ts generate          generate the client into lib/generated/prisma
//   tsx scripts/db.ts migrate           apply committed migrations to DATABASE_URL (prisma migrate deploy)
//   tsx scripts/db.ts new <name>        write a migration for the schema's changes (prisma migrate dev --create-only),
//                                       for SQLite and for PostgreSQL (prisma/postgres, its schema generated here)
//   tsx scripts/db.ts check             fail when schema.prisma has changes no migration covers (either database),
//                                       or prisma/postgres/schema.prisma is not what it generates
// PostgreSQL's diff runs on a throwaway server (scripts/lib/postgres.ts): the committed migrations applied by
// the start-up migrator, the database read back by the wasm engine, compared with the schema.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadServerConfig } from "../lib/config";
import { MIGRATIONS_DIR, PRISMA_DIR, SCHEMA_PATH, migrateDatabase } from "../lib/db/migrate";
import { committedPgMigrations, migratePgDatabase, PG_MIGRATIONS_DIR } from "../lib/db/pg/migrate";
import { pgSchemaAdapter } from "../lib/db/pg/schema-adapter";
import { PG_SEARCH_TABLES } from "../lib/db/search-tables";
import { openSchemaEngine } from "../lib/db/schema-engine";
import { startPostgres } from "./lib/postgres";

const PG_SCHEMA_PATH = path.join(PRISMA_DIR, "postgres", "schema.prisma");

// generate only checks that a schema engine binary exists; it never runs it.
const ENGINE_STUB = path.resolve("scripts/schema-engine-stub.sh");

function generate(): void {
  const r = spawnSync(process.execPath, [path.resolve("node_modules/prisma/build/index.js"), "generate"], {
    stdio: "inherit",
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: ENGINE_STUB,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      CHECKPOINT_DISABLE: "1",
    },
  });
  process.exitCode = r.status ?? 1;
}

/** Diffs the committed migrations against the schema on a scratch database. */
async function pendingSql(): Promise<string | null> {
  const scratch = mkdtempSync(path.join(tmpdir(), "chatterbox-diff-"));
  const engine = await openSchemaEngine({
    url: `file:${path.join(scratch, "diff.db")}`,
    schemaPath: SCHEMA_PATH,
    migrationsDir: MIGRATIONS_DIR,
  });
  try {
    return await engine.pendingSchemaChange();
  } finally {
    await engine.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** prisma/postgres/schema.prisma as it must be: schema.prisma with the PostgreSQL provider (and its own client path) */
function pgSchemaText(): string {
  const sqlite = readFileSync(SCHEMA_PATH, "utf8");
  const swaps: [RegExp, string][] = [
    [/^(\s*provider\s*=\s*)"sqlite"$/m, '$1"postgresql"'],
    [/^(\s*output\s*=\s*)"\.\.\/lib\/generated\/prisma"$/m, '$1"../../lib/generated/prisma-pg"'],
  ];
  let text = sqlite;
  for (const [from, to] of swaps) {
    if (!from.test(text)) throw new Error(`prisma/schema.prisma: expected a line matching ${String(from)}`);
    text = text.replace(from, to);
  }
  return `// GENERATED from prisma/schema.prisma by \`npm run db:new\` (scripts/db.ts): edit that file, not this one.\n${text}`;
}

/** Diffs the committed PostgreSQL migrations against the PostgreSQL schema (as generated now), on a throwaway server. */
async function pendingPgSql(): Promise<string | null> {
  const scratch = mkdtempSync(path.join(tmpdir(), "chatterbox-pg-diff-"));
  const schemaPath = path.join(scratch, "schema.prisma");
  writeFileSync(schemaPath, pgSchemaText());
  const server = await startPostgres();
  try {
    const url = await server.createDatabase();
    await migratePgDatabase(url, PG_MIGRATIONS_DIR);
    const engine = await openSchemaEngine({
      adapter: pgSchemaAdapter(url),
      schemaPath,
      migrationsDir: PG_MIGRATIONS_DIR,
      externalTables: PG_SEARCH_TABLES,
    });
    try {
      return await engine.pendingSchemaChangeFromDatabase();
    } finally {
      await engine.close();
    }
  } finally {
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A timestamp for a new migration: now, or just after the newest one of either folder (both sort in step). */
function nextStamp(): string {
  const now = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const newest = [...committedPgMigrations(MIGRATIONS_DIR), ...committedPgMigrations(PG_MIGRATIONS_DIR)]
    .map((m) => m.slice(0, 14))
    .sort()
    .at(-1);
  return newest && newest >= now ? String(Number(newest) + 1) : now;
}

function writeMigration(dir: string, stamp: string, name: string, sql: string): void {
  const target = path.join(dir, `${stamp}_${name}`);
  mkdirSync(target, { recursive: true });
  writeFileSync(path.join(target, "migration.sql"), sql);
  console.log(`wrote ${path.relative(process.cwd(), target)}/migration.sql`);
}

async function newMigration(name: string | undefined): Promise<void> {
  if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error("usage: db.ts new <name in snake_case>");
  writeFileSync(PG_SCHEMA_PATH, pgSchemaText());
  const [sql, pgSql] = await Promise.all([pendingSql(), pendingPgSql()]);
  const stamp = nextStamp();
  if (sql) writeMigration(MIGRATIONS_DIR, stamp, name, sql);
  else console.log("schema.prisma matches the SQLite migrations: nothing to write");
  if (pgSql) writeMigration(PG_MIGRATIONS_DIR, stamp, name, pgSql);
  else console.log("schema.prisma matches the PostgreSQL migrations: nothing to write");
}

/** Every way the committed migrations and generated schema can lag behind schema.prisma; empty when none. */
async function check(): Promise<string[]> {
  const problems: string[] = [];
  if (readFileSync(PG_SCHEMA_PATH, "utf8") !== pgSchemaText())
    problems.push("prisma/postgres/schema.prisma is not generated from prisma/schema.prisma");
  // the PostgreSQL server starts while SQLite's diff runs
  const [sql, pgSql] = await Promise.all([pendingSql(), pendingPgSql()]);
  if (sql) problems.push(`schema.prisma has changes no SQLite migration covers:\n${sql}`);
  if (pgSql) problems.push(`schema.prisma has changes no PostgreSQL migration covers:\n${pgSql}`);
  return problems;
}

async function main(): Promise<void> {
  const [command, arg] = process.argv.slice(2);
  switch (command) {
    case "generate":
      return generate();
    case "migrate": {
      const config = loadServerConfig();
      const applied =
        config.databasePath === null
          ? await migratePgDatabase(config.DATABASE_URL)
          : await migrateDatabase(config.databasePath);
      console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
      return;
    }
    case "new":
      return newMigration(arg);
    case "check": {
      const problems = await check();
      if (problems.length) {
        console.error(`${problems.join("\n")}\nrun \`npm run db:new -- <name>\``);
        process.exitCode = 1;
      } else console.log("migrations (SQLite and PostgreSQL) match schema.prisma");
      return;
    }
    default:
      throw new Error("usage: db.ts generate | migrate | new <name> | check");
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
