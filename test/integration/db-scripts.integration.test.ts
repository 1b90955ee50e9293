// `npm run db:new` and `npm run db:check` keep the SQLite and PostgreSQL migrations in step (issue 15): run on
// a copy of prisma/ (the scripts work in the current directory), a schema change is caught for both
// databases, `new` writes one migration into each folder under one name, and a PostgreSQL migration that
// is missing is caught on its own. Each run diffs PostgreSQL on a throwaway server, as CI does.
import { execFile } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(REPO, "node_modules/.bin/tsx");
const SCRIPT = path.join(REPO, "scripts/db.ts");

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "chatterbox-db-scripts-"));
  cpSync(path.join(REPO, "prisma"), path.join(dir, "prisma"), { recursive: true });
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** `tsx scripts/db.ts …args` in the copy: its exit code and output */
function db(...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(TSX, [SCRIPT, ...args], { cwd: dir, timeout: 50_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, out: `${stdout}${stderr}` });
    });
  });
}

const migrations = (sub: string) => readdirSync(path.join(dir, "prisma", sub)).filter((f) => /^\d{14}_/.test(f));

describe("db:new and db:check", () => {
  it("catch a schema change on both databases, write both migrations, and catch a missing PostgreSQL one", async () => {
    expect(await db("check")).toMatchObject({ code: 0 });

    appendFileSync(
      path.join(dir, "prisma", "schema.prisma"),
      "\nmodel ScratchNote {\n  id   Int    @id @default(autoincrement())\n  text String\n}\n",
    );
    const stale = await db("check");
    expect(stale.code).toBe(1);
    expect(stale.out).toContain("prisma/postgres/schema.prisma is not generated from prisma/schema.prisma");
    expect(stale.out).toContain("no SQLite migration covers");
    expect(stale.out).toContain("no PostgreSQL migration covers");

    const sqliteBefore = migrations("migrations");
    const pgBefore = migrations("postgres/migrations");
    expect(await db("new", "scratch_note")).toMatchObject({ code: 0 });
    const [sqliteNew] = migrations("migrations").filter((m) => !sqliteBefore.includes(m));
    const [pgNew] = migrations("postgres/migrations").filter((m) => !pgBefore.includes(m));
    // one name for both, sorting after every earlier migration of either folder
    expect(sqliteNew).toMatch(/_scratch_note$/);
    expect(pgNew).toBe(sqliteNew);
    expect([...sqliteBefore, ...pgBefore].every((m) => m < sqliteNew!)).toBe(true);
    const sql = (sub: string) => readFileSync(path.join(dir, "prisma", sub, sqliteNew!, "migration.sql"), "utf8");
    expect(sql("migrations")).toContain('CREATE TABLE "ScratchNote"');
    expect(sql("postgres/migrations")).toContain('CREATE TABLE "ScratchNote"');
    expect(sql("postgres/migrations")).toContain("SERIAL");
    expect(await db("check")).toMatchObject({ code: 0 });

    rmSync(path.join(dir, "prisma", "postgres", "migrations", pgNew!), { recursive: true });
    const behind = await db("check");
    expect(behind.code).toBe(1);
    expect(behind.out).toContain("no PostgreSQL migration covers");
    expect(behind.out).not.toContain("no SQLite migration covers");
  }, 300_000);
});
