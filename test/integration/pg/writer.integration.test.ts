// The PostgreSQL message writer across processes: two data layers (each its own pool and writer, as two
// server processes have; once in this process, once in two child processes) writing into one room at once,
// while a third polls messagesAfter. Ids and seqs must increase in commit order: a reader that saw id N never
// later finds a smaller id appear. And a retry of a (user, clientId) stores nothing twice, whichever process
// it reaches.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataLayer, Stored, UserRecord } from "@/lib/db/data-layer";
import { openPgDatabase } from "@/lib/db/pg/open";
import { startPostgres, type TestPostgres } from "../../helpers/postgres";

let server: TestPostgres;
let url: string;
let a: DataLayer;
let b: DataLayer;
let reader: DataLayer;
let alice: UserRecord;
let bob: UserRecord;

beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase();
  [a, b, reader] = await Promise.all([openPgDatabase(url), openPgDatabase(url), openPgDatabase(url)]);
  alice = (await a.users.createUser("alice", "hash")) as UserRecord;
  bob = (await b.users.createUser("bob", "hash")) as UserRecord;
});
afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await Promise.all([a, b, reader].map((d) => d?.close()));
  await server?.stop();
});

const send = (db: DataLayer, u: UserRecord, content: string, clientId?: string) =>
  db.messages.insertMessage({
    userId: u.id,
    username: u.username,
    room: "general",
    content,
    clientId,
  }) as Promise<Stored>;

async function count(sql: string, values: unknown[] = []): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(sql, values)).rows[0]!.n);
  } finally {
    await client.end();
  }
}

const WRITER_PROCESS = fileURLToPath(new URL("../../helpers/pg-writer-process.ts", import.meta.url));

/** writer children still running: killed after the suite, should a test fail before they are done */
const children = new Set<ChildProcess>();

/**
 * A child process with a data layer of its own, ready to send `bursts` bursts of 20 messages from `u`: `go`
 * starts it, and resolves once it has sent them all and exited.
 */
async function writerProcess(u: UserRecord, bursts: number): Promise<{ go(): Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", WRITER_PROCESS], {
    env: {
      ...process.env,
      WRITER_URL: url,
      WRITER_USER_ID: String(u.id),
      WRITER_USERNAME: u.username,
      WRITER_BURSTS: String(bursts),
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  children.add(child);
  let out = "";
  child.stderr.on("data", (c: Buffer) => (out += c.toString()));
  // "close", not "exit": its stdout has been read to the end by then
  const closed = new Promise<void>((resolve, reject) => {
    child.on("close", (code) => {
      children.delete(child);
      if (code === 0 && out.includes("DONE")) resolve();
      else reject(new Error(`writer: ${code} ${out}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      if (out.includes("READY")) resolve();
    });
    closed.catch(reject);
  });
  return {
    go() {
      child.stdin.end("go\n");
      return closed;
    },
  };
}

/**
 * Polls messagesAfter from the room's newest id while `write` runs, until one read after it comes back
 * empty: every id seen, in the order the cursor walk saw them, and the id it started after.
 */
async function walkWhile(write: () => Promise<unknown>): Promise<{ seen: number[]; start: number }> {
  const seen: number[] = [];
  let cursor = (await reader.rooms.lastMessageId("general")) || 0;
  const start = cursor;
  let writing = true;
  const poll = (async () => {
    for (;;) {
      const done = !writing;
      const page = await reader.messages.messagesAfter("general", cursor, 1000);
      for (const m of page) seen.push(m.id);
      if (page.length) cursor = page.at(-1)!.id;
      if (done && page.length === 0) return;
    }
  })();
  try {
    await write();
  } finally {
    writing = false;
    await poll;
  }
  return { seen, start };
}

describe("the PostgreSQL writer across processes", () => {
  it("two OS processes writing at once: a polling reader sees every id, in order, with no gap filled later", async () => {
    const writers = await Promise.all([writerProcess(alice, 40), writerProcess(bob, 40)]);
    const { seen, start } = await walkWhile(() => Promise.all(writers.map((w) => w.go())));
    const all = await reader.messages.messagesAfter("general", start, 10_000);
    expect(all).toHaveLength(1600);
    // the two processes' commits interleaved (both start together, and 40 bursts each outlast a scheduling hiccup)
    const turns = all.filter((m, i) => i > 0 && m.username !== all[i - 1]!.username).length;
    expect(turns).toBeGreaterThan(0);
    expect(seen).toEqual(all.map((m) => m.id));
    const seqs = all.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
  }, 60_000);

  it("ids and seqs increase in commit order: a polling reader never sees a gap that fills later", async () => {
    // bursts from both data layers at once: each burst is group-committed, the two writers interleave
    const bursts = async (db: DataLayer, u: UserRecord) => {
      for (let burst = 0; burst < 15; burst++)
        await Promise.all(Array.from({ length: 20 }, (_, i) => send(db, u, `${u.username} ${burst}.${i}`)));
    };
    const { seen, start } = await walkWhile(() => Promise.all([bursts(a, alice), bursts(b, bob)]));

    const all = await reader.messages.messagesAfter("general", start, 10_000);
    expect(all).toHaveLength(600);
    // every message was seen by the cursor walk (one committed behind the cursor would have been skipped)
    expect(seen).toEqual(all.map((m) => m.id));
    // the cluster's gap check (room-order.ts) reads the same ids
    const last = all.at(-1)!.id;
    expect(await reader.messages.messageIdsBetween("general", start, last, 10_000)).toEqual(seen);
    expect(await reader.messages.messageIdsBetween("general", seen[9]!, seen[19]!, 5)).toEqual(seen.slice(10, 15));
    expect(await reader.messages.messageIdsBetween("elsewhere", start, last, 10_000)).toEqual([]);
    // seqs follow ids: catch-up by seq sees the same order
    const seqs = all.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it("a retry reaching the other process gets the stored row, created=false", async () => {
    const first = await send(a, alice, "once", "retry-1");
    const retry = await send(b, alice, "once", "retry-1");
    expect(first.created).toBe(true);
    expect(retry).toEqual({ message: first.message, created: false });
    expect(await count(`SELECT count(*) AS n FROM "Message" WHERE "clientId" = $1`, ["retry-1"])).toBe(1);
  });

  it("the same (user, clientId) sent to both processes at once is stored once", async () => {
    for (let i = 0; i < 10; i++) {
      const clientId = `race-${i}`;
      const results = await Promise.all([send(a, bob, `race ${i}`, clientId), send(b, bob, `race ${i}`, clientId)]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(results[0].message.id).toBe(results[1].message.id);
      expect(await count(`SELECT count(*) AS n FROM "Message" WHERE "clientId" = $1`, [clientId])).toBe(1);
    }
  });

  it("a batch with a repeated clientId stores the first and answers the repeat with it", async () => {
    const [one, two, other] = await Promise.all([
      send(a, alice, "dup", "batch-dup"),
      send(a, alice, "dup", "batch-dup"),
      send(a, alice, "different", "batch-other"),
    ]);
    expect(one.created).toBe(true);
    expect(two).toEqual({ message: one.message, created: false });
    expect(other.created).toBe(true);
    expect(other.message.id).toBeGreaterThan(one.message.id);
  });

  it("edits and reactions from both processes each take a new seq, in commit order", async () => {
    const m = (await send(a, alice, "to be changed")).message;
    const [edit, react] = await Promise.all([
      a.messages.editMessage(m.id, alice.id, "changed", []),
      b.messages.addReaction(m.id, { userId: bob.id, username: "bob" }, "👍"),
    ]);
    expect(edit!.changed && react!.changed).toBe(true);
    expect(new Set([edit!.message.seq, react!.message.seq, m.seq]).size).toBe(3);
    const after = await reader.messages.findMessage(m.id);
    expect(after!.message).toMatchObject({
      content: "changed",
      reactions: [{ emoji: "👍", count: 1, users: ["bob"] }],
    });
    expect(after!.message.seq).toBe(Math.max(edit!.message.seq, react!.message.seq));
    const changes = await reader.messages.changesIn(["general"], m.seq, 10);
    expect(changes.map((c) => c.id)).toEqual([m.id]);
  });
});

describe("text PostgreSQL cannot hold", () => {
  it("U+0000 in a message is stored as U+FFFD, and fails nothing else in its batch", async () => {
    const [odd, plain] = await Promise.all([send(a, alice, "nul\u0000here"), send(a, alice, "plain")]);
    expect(odd.message.content).toBe("nul\uFFFDhere");
    expect(plain).toMatchObject({ created: true, message: { content: "plain" } });
    const edited = await a.messages.editMessage(plain.message.id, alice.id, "edit\u0000ed", []);
    expect(edited!.message.content).toBe("edit\uFFFDed");
  });

  it("a name holding U+0000 finds nothing instead of failing", async () => {
    expect(await a.users.findUserByName("alice\u0000")).toBeNull();
    expect(await a.rooms.findRoom("general\u0000")).toBeNull();
  });
});
