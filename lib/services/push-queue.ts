// A bounded queue of background jobs with bounded concurrency: pushes wait here, after the commit, so that
// sending never holds the message path; beyond `maxQueued` the oldest waiting job is dropped (and counted).
export function createJobQueue(opts: { concurrency: number; maxQueued: number; onError: (err: unknown) => void }) {
  const waiting: (() => Promise<void>)[] = [];
  let active = 0;
  let dropped = 0;
  let idle: (() => void)[] = [];

  function pump(): void {
    while (active < opts.concurrency && waiting.length) {
      const job = waiting.shift()!;
      active++;
      job()
        .catch(opts.onError)
        .finally(() => {
          active--;
          pump();
        });
    }
    if (active === 0 && waiting.length === 0) {
      const done = idle;
      idle = [];
      done.forEach((r) => r());
    }
  }

  return {
    push(job: () => Promise<void>): void {
      if (waiting.length >= opts.maxQueued) {
        waiting.shift();
        dropped++;
      }
      waiting.push(job);
      // never inside the caller's turn: the message path returns first
      setImmediate(pump);
    },
    get dropped(): number {
      return dropped;
    },
    /** resolves once nothing is waiting or running (close) */
    drained(): Promise<void> {
      if (active === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
    clear(): void {
      waiting.length = 0;
      pump();
    },
  };
}
