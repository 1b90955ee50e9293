// The PostgreSQL migrator (lib/db/pg/migrate.ts) against a real server: a fresh database gets every committed
// migration with the rows `prisma migrate deploy` writes (checksum = SHA-256 of the file); a second run does
// nothing; processes starting at once migrate once (Prisma's advisory lock).
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPgDatabase } from "@/lib/db/pg/open";
import { committedPgMigrations, migratePgDatabase, PG_MIGRATIONS_DIR } from "@/lib/db/pg/migrate";
import { startPostgres, type TestPostgres } from "../../helpers/postgres";

let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.stop();
});

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished: boolean;
  applied_steps_count: number;
}

async function migrationRows(url: string): Promise<MigrationRow[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<MigrationRow>(
      `SELECT "migration_name", "checksum", "finished_at" IS NOT NULL AS "finished", "applied_steps_count"
         FROM "_prisma_migrations" ORDER BY "migration_name"`,
    );
    return rows;
  } finally {
    await client.end();
  }
}

const sha256 = (name: string) =>
  createHash("sha256")
    .update(readFileSync(path.join(PG_MIGRATIONS_DIR, name, "migration.sql")))
    .digest("hex");

describe("PostgreSQL migrations", () => {
  const all = committedPgMigrations();

  it("a fresh database gets every migration, recorded as prisma migrate deploy records them", async () => {
    const url = await server.createDatabase();
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(await migratePgDatabase(url)).toEqual(all);
    expect(await migrationRows(url)).toEqual(
      all.map((name) => ({ migration_name: name, checksum: sha256(name), finished: true, applied_steps_count: 1 })),
    );
  });

  it("is idempotent: a migrated database is left alone", async () => {
    const url = await server.createDatabase();
    await migratePgDatabase(url);
    const before = await migrationRows(url);
    expect(await migratePgDatabase(url)).toEqual([]);
    expect(await migrationRows(url)).toEqual(before);
  });

  it("several processes starting at once migrate once", async () => {
    const url = await server.createDatabase();
    const results = await Promise.all([1, 2, 3].map(() => migratePgDatabase(url)));
    // one of them applied everything, the others waited on the lock and found nothing left
    expect(results.flat().sort()).toEqual(all);
    expect(results.filter((r) => r.length > 0)).toHaveLength(1);
    expect((await migrationRows(url)).map((r) => r.migration_name)).toEqual(all);
  });

  it("two processes (npm run db:migrate) started at once: one applies everything, the other finds it done", async () => {
    const url = await server.createDatabase();
    const run = () =>
      new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          ["--import", "tsx", "scripts/db.ts", "migrate"],
          { env: { ...process.env, DATABASE_URL: url } },
          (err, stdout, stderr) => (err ? reject(new Error(`db:migrate failed: ${stderr}`)) : resolve(stdout.trim())),
        );
      });
    const outputs = (await Promise.all([run(), run()])).sort();
    expect(outputs).toEqual([`applied: ${all.join(", ")}`, "database is up to date"]);
    expect((await migrationRows(url)).map((r) => r.migration_name)).toEqual(all);
  });

  it("two servers opening one new database at once both work on it", async () => {
    const url = await server.createDatabase();
    const [a, b] = await Promise.all([openPgDatabase(url), openPgDatabase(url)]);
    try {
      expect(await a.notReadyReason()).toBeNull();
      expect(await b.notReadyReason()).toBeNull();
      expect(await a.rooms.findRoom("general")).toMatchObject({ name: "general", kind: "room" });
      expect((await migrationRows(url)).map((r) => r.migration_name)).toEqual(all);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("a failing migration leaves nothing of itself and stops start-up with its name", async () => {
    const url = await server.createDatabase();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    // a table in the way of the first migration: it fails half-way, in its own transaction
    await client.query(`CREATE TABLE "Hook" ("x" int)`);
    await client.end();
    await expect(migratePgDatabase(url)).rejects.toThrow(new RegExp(all[0]!));
    const check = new pg.Client({ connectionString: url });
    await check.connect();
    try {
      const { rows } = await check.query<{ n: number }>(`SELECT count(*)::int AS n FROM "_prisma_migrations"`);
      expect(rows[0]!.n).toBe(0);
      const user = await check.query<{ t: string | null }>(`SELECT to_regclass('"User"')::text AS t`);
      expect(user.rows[0]!.t).toBeNull();
    } finally {
      await check.end();
    }
  });
});
