// The search migration backfills what was stored before it, and skips tombstones. The database is taken back
// to the state before the migration (its index and triggers dropped), then the migration's SQL runs again.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { MIGRATIONS_DIR, migrateDatabase } from "@/lib/db/migrate";

const dir = mkdtempSync(path.join(tmpdir(), "chatterbox-search-mig-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("indexes existing live messages when it runs", async () => {
  const file = path.join(dir, "old.db");
  const applied = await migrateDatabase(file);
  const search = applied.find((m) => m.endsWith("_search"));
  expect(search).toBeDefined();
  const db = new Database(file);
  db.exec(`DROP TRIGGER "Message_search_insert"; DROP TRIGGER "Message_search_update";
           DROP TRIGGER "Message_search_delete"; DROP TABLE "MessageSearch";`);
  db.prepare(`INSERT INTO "User" ("username", "usernameKey", "passwordHash") VALUES ('old', 'old', 'x')`).run();
  const insert = db.prepare(
    `INSERT INTO "Message" ("userId", "username", "content", "seq", "deleted") VALUES (1, 'old', ?, ?, ?)`,
  );
  insert.run("legacy crème brûlée", 1, 0);
  insert.run("", 2, 1);
  expect(readdirSync(MIGRATIONS_DIR)).toContain(search);
  db.exec(readFileSync(path.join(MIGRATIONS_DIR, search!, "migration.sql"), "utf8"));
  const match = (q: string) =>
    db.prepare(`SELECT rowid FROM "MessageSearch" WHERE "MessageSearch" MATCH ?`).all(q) as { rowid: number }[];
  expect(match('"creme" "brulee"')).toEqual([{ rowid: 1 }]);
  expect(db.prepare(`SELECT count(*) AS n FROM "MessageSearch_docsize"`).get()).toEqual({ n: 1 });
  // and the triggers it made keep the index in step from then on
  db.prepare(`UPDATE "Message" SET "content" = '', "deleted" = 1 WHERE "id" = 1`).run();
  expect(match('"creme"')).toEqual([]);
  db.prepare(`INSERT INTO "MessageSearch" ("MessageSearch") VALUES ('integrity-check')`).run();
  db.close();
});
