// Starts lib/db/checkpoint-worker.mjs for a database. The connections that write (Prisma's and the message
// writer's) turn their automatic checkpoints off while it runs, and back on should it fail (`onFailure`), so
// the WAL never grows without bound.
import { Worker } from "node:worker_threads";

export interface Checkpointer {
  close(): Promise<void>;
}

export function startCheckpointer(
  databasePath: string,
  opts: { intervalMs?: number; onFailure: (err: Error) => void },
): Checkpointer {
  const worker = new Worker(new URL("./checkpoint-worker.mjs", import.meta.url), {
    workerData: { databasePath, intervalMs: opts.intervalMs ?? 1000 },
  });
  worker.unref();
  let closing = false;
  let failed = false;
  const fail = (err: Error) => {
    if (closing || failed) return;
    failed = true;
    opts.onFailure(err);
  };
  worker.on("error", fail);
  const exited = new Promise<void>((resolve) => {
    worker.once("exit", (code) => {
      fail(new Error(`checkpoint worker exited (${code})`));
      resolve();
    });
  });
  return {
    async close() {
      if (closing) return exited;
      closing = true;
      worker.postMessage("close");
      const timer = setTimeout(() => void worker.terminate(), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}
