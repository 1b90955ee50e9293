// The SQLite message writer (lib/db/message-writer.ts): what the data-layer suites do not reach — a batch
// that fails, and Prisma's connection writing beside it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataLayer, NewMessage } from "@/lib/db/data-layer";
import { createMessageWriter } from "@/lib/db/message-writer";
import { openDatabase } from "@/lib/db/open";

let dir: string;
let databasePath: string;
let db: DataLayer;
let userId: number;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "chatterbox-writer-"));
  databasePath = path.join(dir, "writer.db");
  db = await openDatabase(databasePath);
  const user = await db.users.createUser("writer_alice", "not-a-hash");
  if (!user || user === "refused") throw new Error("no user");
  userId = user.id;
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const message = (content: string, clientId?: string): NewMessage => ({
  userId,
  username: "writer_alice",
  room: "general",
  content,
  ...(clientId ? { clientId } : {}),
});

describe("the message writer", () => {
  it("rejects a batch that fails with SQLite's error, and goes on with the next", async () => {
    const writer = createMessageWriter(databasePath);
    try {
      // NOT NULL: the whole batch rolls back, and each of its writes is told why
      const broken = writer.insert({ ...message("x"), content: null as unknown as string });
      await expect(broken).rejects.toMatchObject({ code: "SQLITE_CONSTRAINT_NOTNULL" });
      const next = await writer.insert(message("after the failure", "writer-after"));
      expect(next?.created).toBe(true);
      expect(next?.message.content).toBe("after the failure");
    } finally {
      writer.close();
    }
  });

  it("stores every message while Prisma's connection writes at the same time", async () => {
    // the writer's batches (a connection that never waits for a lock) and Prisma's writes interleave: a busy
    // database is retried, never failed
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 300; i++) {
      writes.push(db.messages.insertMessage(message(`beside prisma ${i}`, `writer-p${i}`)));
      writes.push(db.sessions.createSession(userId, `writer-token-${i}`, new Date(Date.now() + 60_000)));
      if (i % 10 === 0) await new Promise((r) => setImmediate(r));
    }
    const results = await Promise.allSettled(writes);
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
  });

  it("reports the pragmas its connection really runs with", () => {
    const writer = createMessageWriter(databasePath);
    try {
      expect(writer.pragmas()).toEqual({ journalMode: "wal", synchronous: "FULL", foreignKeys: true });
    } finally {
      writer.close();
    }
  });
});
