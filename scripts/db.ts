// Offline Prisma tooling: `prisma generate` and migrations without the native schema engine that the Prisma
// CLI would download from Prisma's host (unreachable on locked-down networks). See README, "Database".
//   tsx scripts/db.ts generate          generate the client into lib/generated/prisma
//   tsx scripts/db.ts migrate           apply committed migrations to DATABASE_URL (prisma migrate deploy)
//   tsx scripts/db.ts new <name>        write a migration for the schema's changes (prisma migrate dev --create-only)
//   tsx scripts/db.ts check             fail when schema.prisma has changes no migration covers
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadServerConfig } from "../lib/config";
import { MIGRATIONS_DIR, SCHEMA_PATH, migrateDatabase } from "../lib/db/migrate";
import { migratePgDatabase } from "../lib/db/pg/migrate";
import { openSchemaEngine } from "../lib/db/schema-engine";

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

async function newMigration(name: string | undefined): Promise<void> {
  if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error("usage: db.ts new <name in snake_case>");
  const sql = await pendingSql();
  if (!sql) {
    console.log("schema.prisma matches the migrations: nothing to write");
    return;
  }
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), sql);
  console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
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
      const sql = await pendingSql();
      if (sql) {
        console.error(`schema.prisma has changes no migration covers; run \`npm run db:new -- <name>\`:\n${sql}`);
        process.exitCode = 1;
      } else console.log("migrations match schema.prisma");
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
