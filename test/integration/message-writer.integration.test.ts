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

  it("fails only the bad write of a batch: the batch goes again in halves, the others are committed", async () => {
    const commits: number[] = [];
    const writer = createMessageWriter(databasePath, { onCommit: (size) => commits.push(size) });
    try {
      const general = await db.rooms.findRoom("general");
      // queued in one turn, so one batch: a good message, a broken one, a read marker, another good one
      const first = writer.insert(message("before the bad one", "writer-alone-1"));
      const broken = writer.insert({ ...message("x"), content: null as unknown as string });
      const read = writer.markRead(general!.id, userId, 1);
      const last = writer.insert(message("after the bad one", "writer-alone-2"));
      await expect(broken).rejects.toMatchObject({ code: "SQLITE_CONSTRAINT_NOTNULL" });
      const [a, r, b] = await Promise.all([first, read, last]);
      expect(a?.message.content).toBe("before the bad one");
      expect(b?.message.content).toBe("after the bad one");
      expect(b!.message.id).toBeGreaterThan(a!.message.id); // still in the order they were sent
      expect(r).toBe(1);
      // the four, then the first two, rolled back; then the first alone, the bad one alone (rolled back),
      // and the last two together again; later writes are one batch
      const more = await Promise.all([1, 2, 3].map((i) => writer.insert(message(`batched again ${i}`))));
      expect(more.map((m) => m?.created)).toEqual([true, true, true]);
      expect(commits).toEqual([1, 2, 3]);
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
    const stored = await db.messages.messagesAfter("general", 0, 10_000);
    expect(stored.filter((m) => m.content.startsWith("beside prisma ")).length).toBe(300);
  });

  it("moves read markers in its batches: forward only, beside messages, 0 for a non-member", async () => {
    const room = await db.rooms.createRoom(
      { name: "writer-markers", kind: "room", private: false, createdById: userId },
      [userId],
    );
    if (!room) throw new Error("no room");
    // a marker queued in the same turn as messages goes into their batch
    const [first, marker] = await Promise.all([
      db.messages.insertMessage({ ...message("marked"), room: "writer-markers" }),
      db.rooms.markRead(room.id, userId, 5),
    ]);
    expect(first?.created).toBe(true);
    expect(marker).toBe(5);
    expect(await db.rooms.markRead(room.id, userId, 3)).toBe(5); // a stale tab: never backwards
    expect(await db.rooms.markRead(room.id, userId, 9)).toBe(9);
    expect(await db.rooms.membership(room.id, userId)).toEqual({ lastReadId: 9 });
    expect(await db.rooms.markRead(room.id, userId + 1000, 9)).toBe(0); // not a member: nothing to move
  });

  it("acks each message exactly as a read returns it; a retried clientId gets the stored one and takes no seq", async () => {
    const writer = createMessageWriter(databasePath);
    try {
      // one batch: a first send, its retry, a reply, a webhook's post, non-ASCII text, and a lone surrogate
      // (valid in a JS string, stored by better-sqlite3 as bytes that read back differently)
      const sent = await Promise.all([
        writer.insert({ ...message("kept as sent", "writer-same"), mentions: [{ userId, username: "writer_alice" }] }),
        writer.insert(message("a retry's content is not stored", "writer-same")),
        writer.insert({ ...message("a reply"), replyToId: 1 }),
        writer.insert({
          ...message("from a hook"),
          bot: { name: "Déploiement 🚀", iconUrl: "https://x.example/i.png" },
        }),
        writer.insert(message("naïve café — 日本語 👍🏽")),
        writer.insert(message("broken \ud800 half")),
      ]);
      const later = await writer.insert(message("again, later", "writer-same"));
      const next = await writer.insert(message("after the retry"));
      expect(sent.map((s) => s?.created)).toEqual([true, false, true, true, true, true]);
      expect(later?.created).toBe(false);
      const [first, retry, ...rest] = sent.map((s) => s!.message);
      expect(retry).toEqual(first);
      expect(later!.message).toEqual(first);
      // no gap where the retries were
      expect([first!, ...rest, next!.message].map((m) => m.seq - first!.seq)).toEqual([0, 1, 2, 3, 4, 5]);
      const read = await db.messages.messagesAfter("general", first!.id - 1, 20);
      const ids = new Set([first!, ...rest, next!.message].map((m) => m.id));
      expect(read.filter((m) => ids.has(m.id))).toEqual([first, ...rest, next!.message]);
    } finally {
      writer.close();
    }
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
