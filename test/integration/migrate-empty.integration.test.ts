// A new database is migrated without the wasm engine (lib/db/migrate-empty.ts). It must end exactly where the
// engine would have taken it, and the engine must then see every migration as applied (so an upgrade later
// goes on from there).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { MIGRATIONS_DIR, SCHEMA_PATH, migrateDatabase } from "@/lib/db/migrate";
import { openSchemaEngine } from "@/lib/db/schema-engine";
import { sqliteAll } from "../helpers/sqlite";

const dir = mkdtempSync(path.join(tmpdir(), "chatterbox-migrate-empty-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const schemaOf = (file: string) =>
  sqliteAll<{ type: string; name: string; sql: string | null }>(
    file,
    `SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`,
  );
const recordsOf = (file: string) =>
  sqliteAll<{ migration_name: string; checksum: string; applied_steps_count: number; done: number }>(
    file,
    `SELECT migration_name, checksum, applied_steps_count, finished_at IS NOT NULL AND rolled_back_at IS NULL AS done
     FROM "_prisma_migrations" ORDER BY migration_name`,
  );

async function engineDeploy(file: string): Promise<string[]> {
  const engine = await openSchemaEngine({
    url: `file:${file}`,
    schemaPath: SCHEMA_PATH,
    migrationsDir: MIGRATIONS_DIR,
  });
  try {
    return await engine.deploy();
  } finally {
    await engine.close();
  }
}

it("gives a new database the schema and migration records the schema engine gives it", async () => {
  const direct = path.join(dir, "direct.db");
  const applied = await migrateDatabase(direct);
  expect(applied.length).toBeGreaterThan(0);

  const byEngine = path.join(dir, "engine.db");
  expect(await engineDeploy(byEngine)).toEqual(applied);

  expect(schemaOf(direct)).toEqual(schemaOf(byEngine));
  expect(recordsOf(direct)).toEqual(recordsOf(byEngine));
  expect(recordsOf(direct).every((r) => r.done === 1)).toBe(true);
  // the engine finds nothing left to apply, and no drift between the migrations and the schema
  expect(await engineDeploy(direct)).toEqual([]);
});

it("leaves a database that already holds tables to the engine, and is a no-op when up to date", async () => {
  const file = path.join(dir, "twice.db");
  await migrateDatabase(file);
  expect(await migrateDatabase(file)).toEqual([]);
  expect(recordsOf(file)).toHaveLength(recordsOf(path.join(dir, "direct.db")).length);
});
