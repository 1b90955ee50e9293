// The hot path of the data layer: storing messages, and the edits, deletes and reactions that change them.
// Group commit: everything queued while a batch is being committed goes into the next one, one transaction
// and one fsync each. The SQL runs on a thread of its own (writer-thread.ts, message-batch.ts), so the
// fsync (about half a millisecond, and more while a checkpoint syncs) never stops the event loop: sockets
// are read and deliveries written while a batch commits. Each promise resolves after its batch's commit.
// The reads are in prepared-reads.ts; PostgreSQL's counterpart is lib/db/pg/message-writer.ts.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Changed, MessageChange, NewMessage, Stored } from "./data-layer";
import { NO_FAULTS, type Faults } from "../fault";
import type { WriteOp, WriteResult } from "./message-batch";
import type { EffectivePragmas } from "./pragmas";
import type { WriterData, WriterReply, WriterRequest } from "./writer-protocol";

const MAX_BATCH = 500;

/**
 * The thread: dist/writer-thread.js beside the bundle (scripts/build-server.ts), or from the sources (tsx,
 * Vitest) the TypeScript entry, loaded through tsx's loader on that thread.
 */
function startWriterThread(data: WriterData): Worker {
  if (!import.meta.url.endsWith(".ts"))
    return new Worker(new URL("./writer-thread.js", import.meta.url), { workerData: data });
  // tsx/esm/api's ESM build, beside the CommonJS one that require resolves (the package's exports map)
  const tsxApi = createRequire(import.meta.url)
    .resolve("tsx/esm/api")
    .replace(/\.cjs$/, ".mjs");
  const tsx = pathToFileURL(tsxApi).href;
  const entry = new URL("./writer-thread.ts", import.meta.url).href;
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(entry)});`;
  // no inherited flags: a tsx loader already in them would be registered twice
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData: data, execArgv: [] });
}

type Waiting = (reply: WriterReply) => void;

/** The thread, and its answers matched to the requests that asked; a thread that fails fails every request. */
async function connect(data: WriterData) {
  const thread = startWriterThread(data);
  const waiting = new Map<number, Waiting>();
  let nextId = 1;
  let failure: Error | undefined;
  const failAll = (err: Error) => {
    failure ??= err;
    for (const done of waiting.values()) done({ id: -1, error: { message: failure.message, code: "" } });
    waiting.clear();
  };
  const ready = new Promise<void>((resolve, reject) => {
    waiting.set(0, () => resolve());
    thread.once("error", reject);
    thread.once("exit", (code) => reject(new Error(`the message writer's thread exited (${code})`)));
  });
  thread.on("message", (reply: WriterReply) => {
    const done = waiting.get(reply.id);
    waiting.delete(reply.id);
    // the thread keeps the process alive only while something waits for it (like a socket with a request)
    if (waiting.size === 0) thread.unref();
    done?.(reply);
  });
  thread.on("error", failAll);
  const exited = new Promise<void>((resolve) =>
    thread.once("exit", (code) => {
      failAll(new Error(`the message writer's thread exited (${code})`));
      resolve();
    }),
  );
  await ready;
  return {
    /** resolves once the thread ended, however it did */
    exited,
    ask(request: WriterRequest & { id: number }): Promise<WriterReply> {
      if (failure) return Promise.resolve({ id: -1, error: { message: failure.message, code: "" } });
      thread.ref();
      return new Promise((resolve) => {
        waiting.set(request.id, resolve);
        thread.postMessage(request);
      });
    },
    tell(request: WriterRequest): void {
      if (failure) return;
      thread.postMessage(request);
      // until the thread has it (the last request, "close", must get there)
      if (request.kind === "close") thread.ref();
    },
    nextId: () => nextId++,
  };
}

const asError = (e: { message: string; code: string }): Error => Object.assign(new Error(e.message), { code: e.code });

export async function createMessageWriter(
  databasePath: string,
  { faults = NO_FAULTS, onCommit }: { faults?: Faults; onCommit?: (size: number, seconds: number) => void } = {},
) {
  const link = await connect({ databasePath, fault: faults.spec });
  let queue: { op: WriteOp; resolve: (r: WriteResult) => void; reject: (e: unknown) => void }[] = [];
  let scheduled = false;
  let writing: Promise<void> | undefined;

  /** One batch at a time, in arrival order (so ids follow the order messages were received). */
  function drain(): void {
    scheduled = false;
    if (writing || queue.length === 0) return;
    const batch = queue.slice(0, MAX_BATCH);
    queue = queue.slice(batch.length);
    writing = link.ask({ kind: "batch", id: link.nextId(), ops: batch.map((p) => p.op) }).then((reply) => {
      writing = undefined;
      if ("results" in reply) {
        onCommit?.(batch.length, reply.seconds);
        batch.forEach((p, i) => p.resolve(reply.results[i] ?? null));
      } else if ("error" in reply) batch.forEach((p) => p.reject(asError(reply.error)));
      drain();
    });
  }

  function enqueue(op: WriteOp): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      queue.push({ op, resolve, reject });
      // what arrives in the same turn of the event loop joins the batch
      if (!scheduled) {
        scheduled = true;
        setImmediate(drain);
      }
    });
  }

  return {
    /** Resolves after the commit; a retry of a stored (user, clientId) resolves with the stored row. */
    insert: (m: NewMessage) => enqueue({ kind: "insert", m }) as Promise<Stored | null>,
    /** An edit, delete or reaction change, in the same queue (and batches) as inserts; resolves after the commit. */
    change: (c: MessageChange) => enqueue(c) as Promise<Changed | null>,
    /** Retention: deletes up to `limit` messages created before `cutoff` in the next batch; how many it deleted. */
    purge: (cutoff: Date, limit: number) => enqueue({ kind: "purge", cutoff, limit }) as Promise<number>,
    /** moves a read marker forward, in the next batch; the marker now (0 when not a member) */
    markRead: (roomId: number, userId: number, lastReadId: number) =>
      enqueue({ kind: "read", roomId, userId, lastReadId }) as Promise<number>,
    /** SQLite's checkpoint inside commits: off while lib/db/checkpointer.ts does it on its own thread */
    autoCheckpoint(on: boolean): void {
      link.tell({ kind: "autoCheckpoint", on });
    },
    /** what this connection really runs with (read back from SQLite) */
    async pragmas(): Promise<EffectivePragmas> {
      const reply = await link.ask({ kind: "pragmas", id: link.nextId() });
      if ("pragmas" in reply) return reply.pragmas;
      throw "error" in reply ? asError(reply.error) : new Error("no answer from the message writer");
    },
    /** after what was queued is committed */
    async close(): Promise<void> {
      while (writing || queue.length) await (writing ?? new Promise((r) => setImmediate(r)));
      link.tell({ kind: "close" });
      await link.exited;
    },
  };
}
export type MessageWriter = Awaited<ReturnType<typeof createMessageWriter>>;
