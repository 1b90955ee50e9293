// The SQLite message writer and its thread (lib/db/message-writer.ts, writer-thread.ts): what the data-layer
// suites do not reach — a thread that cannot open its database, a batch that fails, and closing with writes
// still queued.
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

describe("the message writer's thread", () => {
  it("says which file it could not open", async () => {
    await expect(createMessageWriter(path.join(dir, "missing", "x.db"))).rejects.toThrow(
      /the message writer could not open .*missing.*directory does not exist/,
    );
  });

  it("rejects a batch that fails with SQLite's error, and goes on with the next", async () => {
    const writer = await createMessageWriter(databasePath);
    try {
      // NOT NULL: the whole batch rolls back, and each of its writes is told why
      const broken = writer.insert({ ...message("x"), content: null as unknown as string });
      await expect(broken).rejects.toMatchObject({ code: "SQLITE_CONSTRAINT_NOTNULL" });
      const next = await writer.insert(message("after the failure", "writer-after"));
      expect(next?.created).toBe(true);
      expect(next?.message.content).toBe("after the failure");
    } finally {
      await writer.close();
    }
  });

  it("commits everything queued before close resolves, in order", async () => {
    const writer = await createMessageWriter(databasePath);
    const sent = Array.from({ length: 20 }, (_, i) => writer.insert(message(`queued ${i}`, `writer-q${i}`)));
    await writer.close();
    const stored = await Promise.all(sent);
    const ids = stored.map((s) => s!.message.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const page = await db.messages.messagesAfter("general", ids[0]! - 1, 100);
    expect(page.filter((m) => m.content.startsWith("queued ")).map((m) => m.id)).toEqual(ids);
  });

  it("stores every message while Prisma's connection writes at the same time", async () => {
    // the thread's batch and a Prisma write on the main thread interleave: neither may fail the other
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 300; i++) {
      writes.push(db.messages.insertMessage(message(`beside prisma ${i}`, `writer-p${i}`)));
      writes.push(db.sessions.createSession(userId, `writer-token-${i}`, new Date(Date.now() + 60_000)));
      if (i % 10 === 0) await new Promise((r) => setImmediate(r));
    }
    const results = await Promise.allSettled(writes);
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
  });

  it("reports the pragmas its connection really runs with", async () => {
    const writer = await createMessageWriter(databasePath);
    try {
      expect(await writer.pragmas()).toEqual({ journalMode: "wal", synchronous: "FULL", foreignKeys: true });
    } finally {
      await writer.close();
    }
  });
});
