// RETENTION_DAYS: messages older than that many days are deleted for good, once at start-up and then daily.
// In small batches through the data layer (each one a short transaction of the writer's), yielding to the
// event loop between batches, so live traffic never waits behind a large purge.
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { MessageQueries } from "../db/data-layer";

const DAY_MS = 24 * 60 * 60 * 1000;
export const RETENTION_BATCH = 200;

export interface RetentionDeps {
  messages: Pick<MessageQueries, "purgeBefore">;
  days: number;
  /** the clock (tests inject one) */
  now?: () => Date;
  /** how often it runs; a day unless a test says otherwise */
  intervalMs?: number;
  batchSize?: number;
  log: (msg: string, err?: unknown) => void;
}

export function createRetention(deps: RetentionDeps) {
  const { messages, days, now = () => new Date(), intervalMs = DAY_MS, batchSize = RETENTION_BATCH } = deps;
  let stopped = false;
  let running: Promise<number> | undefined;

  /** Deletes every message older than `days` (as of `now()`); how many. One run at a time. */
  async function purgeOnce(): Promise<number> {
    const cutoff = new Date(now().getTime() - days * DAY_MS);
    let total = 0;
    while (!stopped) {
      const deleted = await messages.purgeBefore(cutoff, batchSize);
      total += deleted;
      if (deleted === 0) break;
      await yieldToEventLoop();
    }
    return total;
  }

  const run = (): Promise<number> => (running ??= purgeOnce().finally(() => (running = undefined)));
  const tick = () =>
    void run().then(
      (n) => n > 0 && deps.log(`retention: deleted ${n} messages older than ${days} days`),
      (err: unknown) => deps.log("retention: purge failed", err),
    );
  const timer = setInterval(tick, intervalMs).unref();
  setImmediate(tick);

  return {
    /** a purge now (tests; the timer calls the same) */
    run,
    async close(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
export type Retention = ReturnType<typeof createRetention>;
