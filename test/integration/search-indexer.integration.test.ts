// The search index is filled in batches outside the messages' commits (lib/db/search-indexer.ts, migration
// 20261207180000_search_batched). A message edited or deleted before its batch runs is indexed as it stands
// then; one at or below the mark is kept in step by the triggers; what a crash left unindexed is taken in when
// the writer opens; and a search through the data layer finds a message the moment it is committed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DataLayer } from "@/lib/db/data-layer";
import { migrateDatabase } from "@/lib/db/migrate";
import { createMessageWriter } from "@/lib/db/message-writer";
import { openDatabase } from "@/lib/db/open";
import { createSearchIndexer } from "@/lib/db/search-indexer";

const dir = mkdtempSync(path.join(tmpdir(), "chatterbox-search-indexer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** a migrated database with one user, on a plain connection (as a crashed writer would have left it) */
async function freshDatabase(name: string): Promise<Database.Database> {
  const file = path.join(dir, name);
  await migrateDatabase(file);
  const db = new Database(file);
  db.prepare(`INSERT INTO "User" ("username", "usernameKey", "passwordHash") VALUES ('ann', 'ann', 'x')`).run();
  return db;
}

function helpers(db: Database.Database) {
  let seq = 0;
  const insert = db.prepare<[string, number]>(
    `INSERT INTO "Message" ("userId", "username", "content", "seq") VALUES (1, 'ann', ?, ?)`,
  );
  return {
    add: (content: string) => Number(insert.run(content, ++seq).lastInsertRowid),
    match: (q: string) =>
      (db.prepare(`SELECT rowid FROM "MessageSearch" WHERE "MessageSearch" MATCH ?`).all(q) as { rowid: number }[])
        .map((r) => r.rowid)
        .sort((a, b) => a - b),
    mark: () => Number(db.prepare(`SELECT "upTo" FROM "SearchIndexMark"`).pluck().get()),
    check: () => db.prepare(`INSERT INTO "MessageSearch" ("MessageSearch") VALUES ('integrity-check')`).run(),
  };
}

describe("the search indexer", () => {
  it("with nothing new, returns without switching its pragmas (every search asks first)", async () => {
    const db = await freshDatabase("idle.db");
    const { add } = helpers(db);
    const indexer = createSearchIndexer(db);
    add("echo eggs");
    expect(indexer.flush()).toBe(1);
    const pragma = vi.spyOn(db, "pragma");
    expect(indexer.flush()).toBe(0);
    expect(pragma).not.toHaveBeenCalled();
    add("foxtrot figs");
    expect(indexer.flush()).toBe(1);
    expect(pragma).toHaveBeenCalledWith("synchronous = NORMAL");
    // and it is put back as it was
    expect(db.pragma("synchronous", { simple: true })).toBe(2);
    db.close();
  });

  it("indexes messages in a batch, each as it stands when the batch runs", async () => {
    const db = await freshDatabase("batches.db");
    const { add, match, mark, check } = helpers(db);
    const indexer = createSearchIndexer(db);
    expect(indexer.flush()).toBe(0);

    const [a, b] = [add("alpha apples"), add("bravo bananas")];
    expect(match("apples")).toEqual([]); // not in the message's own commit any more
    expect(indexer.flush()).toBe(2);
    expect(match("apples OR bananas")).toEqual([a, b]);
    expect(mark()).toBe(b);

    // changed before their batch: edited, soft-deleted, deleted
    const edited = add("charlie cherries");
    db.prepare(`UPDATE "Message" SET "content" = 'charlie coconuts' WHERE "id" = ?`).run(edited);
    const tombstone = add("delta dates");
    db.prepare(`UPDATE "Message" SET "content" = '', "deleted" = 1 WHERE "id" = ?`).run(tombstone);
    const gone = add("echo elderberries");
    db.prepare(`DELETE FROM "Message" WHERE "id" = ?`).run(gone);
    indexer.flush();
    expect(match("cherries")).toEqual([]);
    expect(match("coconuts")).toEqual([edited]);
    expect(match("dates OR elderberries")).toEqual([]);

    // at or below the mark, the triggers keep it in step
    db.prepare(`UPDATE "Message" SET "content" = 'alpha apricots' WHERE "id" = ?`).run(a);
    expect(match("apples")).toEqual([]);
    expect(match("apricots")).toEqual([a]);
    db.prepare(`DELETE FROM "Message" WHERE "id" = ?`).run(b);
    expect(match("bananas")).toEqual([]);
    check();
    // integrity-check cannot see a stale or doubled entry in a contentless index: the rowids it holds can
    const indexed = db.prepare(`SELECT "id" FROM "MessageSearch_docsize" ORDER BY "id"`).pluck().all();
    const live = db.prepare(`SELECT "id" FROM "Message" WHERE "deleted" = 0 ORDER BY "id"`).pluck().all();
    expect(indexed).toEqual(live);
    db.close();
  });

  it("takes in what a crash left unindexed when the writer opens", async () => {
    const db = await freshDatabase("crash.db");
    const { add } = helpers(db);
    const ids = [add("foxtrot figs"), add("golf grapes")];
    db.close(); // committed, never indexed: the process died before its batch

    const writer = createMessageWriter(path.join(dir, "crash.db"));
    // before the writer closes (which indexes too): its start took them in, with its own durability restored
    const after = new Database(path.join(dir, "crash.db"));
    const { match: matchAfter, mark: markAfter } = helpers(after);
    expect(matchAfter("figs OR grapes")).toEqual(ids);
    expect(markAfter()).toBe(ids[1]);
    expect(writer.pragmas().synchronous).toBe("FULL");
    writer.close();
    after.close();
  });

  it("moves the mark back should a rebuilt table give ids below it again", async () => {
    const db = await freshDatabase("rebuilt.db");
    const { add } = helpers(db);
    add("india ice");
    const top = add("juliet jam");
    createSearchIndexer(db).flush();
    // as Prisma's RedefineTables leaves it once retention had deleted the newest row: the counter below the mark
    db.prepare(`DELETE FROM "Message" WHERE "id" = ?`).run(top);
    db.prepare(`UPDATE sqlite_sequence SET "seq" = ? WHERE "name" = 'Message'`).run(top - 1);
    db.close();

    const writer = createMessageWriter(path.join(dir, "rebuilt.db"));
    const again = new Database(path.join(dir, "rebuilt.db"));
    const reused = helpers(again);
    expect(reused.mark()).toBe(top - 1);
    const id = Number(
      again
        .prepare(`INSERT INTO "Message" ("userId", "username", "content", "seq") VALUES (1, 'ann', 'kilo kiwis', 99)`)
        .run().lastInsertRowid,
    );
    expect(id).toBe(top); // given again
    expect(writer.indexForSearch()).toBe(true);
    expect(reused.match("kiwis")).toEqual([id]);
    expect(reused.match("jam")).toEqual([]);
    writer.close();
    again.close();
  });
});

describe("search through the data layer", () => {
  let data: DataLayer;
  beforeAll(async () => {
    data = await openDatabase(path.join(dir, "layer.db"));
  });
  afterAll(async () => {
    await data.close();
  });

  it("finds a message the moment its commit is acked, before any batch ran", async () => {
    const user = await data.users.createUser("hotel", "not-a-hash");
    if (!user || user === "refused") throw new Error("no user");
    const stored = await data.messages.insertMessage({
      userId: user.id,
      username: "hotel",
      room: "general",
      content: "hotel huckleberries",
    });
    const found = await data.search.search({
      terms: [{ kind: "word", text: "huckleberries", prefix: false }],
      rooms: ["general"],
      limit: 10,
    });
    expect(found.map((m) => m.id)).toEqual([stored!.message.id]);
  });
});
