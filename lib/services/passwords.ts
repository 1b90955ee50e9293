// Password hashing off the event loop: bcrypt on a worker thread, jobs queued in order.
import { Worker } from "node:worker_threads";

type Job = { op: "hash"; password: string; cost: number } | { op: "compare"; password: string; hash: string };
type Reply = { id: number; result?: string | boolean; error?: string };

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  compare(password: string, hash: string): Promise<boolean>;
  close(): Promise<void>;
}

export function createPasswordHasher(cost: number): PasswordHasher {
  let worker: Worker | undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve: (v: string | boolean) => void; reject: (e: Error) => void }>();

  // started on first use; referenced only while jobs are pending, so an idle hasher never holds the process open
  function getWorker(): Worker {
    if (worker) return worker;
    const w = new Worker(new URL("./password-worker.mjs", import.meta.url));
    w.unref();
    w.on("message", ({ id, result, error }: Reply) => {
      const job = pending.get(id);
      pending.delete(id);
      if (pending.size === 0) w.unref();
      if (!job) return;
      if (error !== undefined || result === undefined) job.reject(new Error(error ?? "no result"));
      else job.resolve(result);
    });
    w.on("error", (err) => {
      for (const job of pending.values()) job.reject(err);
      pending.clear();
      worker = undefined;
    });
    worker = w;
    return w;
  }

  function run(job: Job): Promise<string | boolean> {
    return new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      const w = getWorker();
      w.ref();
      w.postMessage({ id, ...job });
    });
  }

  return {
    hash: async (password) => String(await run({ op: "hash", password, cost })),
    compare: async (password, hash) => (await run({ op: "compare", password, hash })) === true,
    async close() {
      await worker?.terminate();
      worker = undefined;
    },
  };
}
