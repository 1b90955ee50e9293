// The search migrations on a database that already holds messages: `_search` backfills what was stored before
// it (skipping tombstones), and `_search_author` moves that index to the author-aware table without losing a
// message. The database is first brought to the migrations up to `_search` only, as an older release left it.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { MIGRATIONS_DIR, migrateDatabase } from "@/lib/db/migrate";

const dir = mkdtempSync(path.join(tmpdir(), "chatterbox-search-mig-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A migrations folder holding the committed ones up to and including the one named `*_${last}`. */
function migrationsUpTo(last: string): string {
  const all = readdirSync(MIGRATIONS_DIR).sort();
  const end = all.findIndex((m) => m.endsWith(`_${last}`));
  expect(end).toBeGreaterThan(0);
  const out = path.join(dir, `upto-${last}`);
  mkdirSync(out);
  for (const m of [...all.slice(0, end + 1), "migration_lock.toml"])
    cpSync(path.join(MIGRATIONS_DIR, m), path.join(out, m), { recursive: true });
  return out;
}

it("indexes the messages stored before the search migrations, with their authors", async () => {
  const file = path.join(dir, "old.db");
  // before search existed: messages, one of them a tombstone
  await migrateDatabase(file, { migrationsDir: migrationsUpTo("notifications") });
  const db = new Database(file);
  db.prepare(`INSERT INTO "User" ("username", "usernameKey", "passwordHash") VALUES ('old', 'old', 'x')`).run();
  const insert = db.prepare(
    `INSERT INTO "Message" ("userId", "username", "content", "seq", "deleted") VALUES (1, 'old', ?, ?, ?)`,
  );
  insert.run("legacy crème brûlée", 1, 0);
  insert.run("", 2, 1);
  db.close();

  await migrateDatabase(file, { migrationsDir: migrationsUpTo("search") }); // the first index
  const again = new Database(file);
  again
    .prepare(`INSERT INTO "Message" ("userId", "username", "content", "seq", "deleted") VALUES (1, 'old', ?, 3, 0)`)
    .run("stored under the first index");
  again.close();

  const applied = await migrateDatabase(file); // the rest: the author-aware index
  expect(applied.some((m) => m.endsWith("_search_author"))).toBe(true);
  const up = new Database(file);
  const match = (q: string) =>
    (up.prepare(`SELECT rowid FROM "MessageSearch" WHERE "MessageSearch" MATCH ?`).all(q) as { rowid: number }[]).map(
      (r) => r.rowid,
    );
  expect(match('content : ("creme" "brulee")')).toEqual([1]);
  expect(match('author : "u1"').sort()).toEqual([1, 3]); // the tombstone (2) is not indexed
  expect(up.prepare(`SELECT count(*) AS n FROM "MessageSearch_docsize"`).get()).toEqual({ n: 2 });
  // and the triggers it made keep the index in step from then on
  up.prepare(`UPDATE "Message" SET "content" = '', "deleted" = 1 WHERE "id" = 1`).run();
  expect(match('"creme"')).toEqual([]);
  up.prepare(`UPDATE "Message" SET "content" = 'edited text' WHERE "id" = 3`).run();
  expect(match('"stored"')).toEqual([]);
  expect(match('author : "u1" AND content : ("edited")')).toEqual([3]);
  up.prepare(`DELETE FROM "Message" WHERE "id" = 3`).run();
  expect(match('author : "u1"')).toEqual([]);
  up.prepare(`INSERT INTO "MessageSearch" ("MessageSearch") VALUES ('integrity-check')`).run();
  up.close();
});
