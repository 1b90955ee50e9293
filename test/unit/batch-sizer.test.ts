// How a group commit that one bad write rolled back is split (lib/db/batch-sizer.ts), driven the way both
// message writers drive it, over random queues with random bad writes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createBatchSizer } from "@/lib/db/batch-sizer";

/** Drains `queue` (true: a bad write) as the writers do; what committed, what failed, and how many commits ran. */
function drain(queue: boolean[], max: number) {
  const sizer = createBatchSizer(max);
  const pending = queue.map((bad, i) => ({ i, bad }));
  const committed: number[] = [];
  const failed: number[] = [];
  let attempts = 0;
  while (pending.length) {
    const batch = pending.slice(0, sizer.next());
    attempts++;
    if (batch.some((w) => w.bad)) {
      if (sizer.split(batch.length)) continue;
      sizer.settled(1);
      failed.push(pending.shift()!.i);
      continue;
    }
    sizer.settled(batch.length);
    committed.push(...pending.splice(0, batch.length).map((w) => w.i));
  }
  return { committed, failed, attempts };
}

describe("the batch sizer", () => {
  it("commits a clean queue in full batches", () => {
    expect(drain(new Array<boolean>(1200).fill(false), 500).attempts).toBe(3);
  });

  it("fails exactly the bad writes, commits every other one in order, in about 2·log2(n) commits per bad write", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 9 }), { maxLength: 600 }), fc.integer({ min: 1, max: 500 }), (flags, max) => {
        const queue = flags.map((f) => f === 0); // about one write in ten is bad
        const { committed, failed, attempts } = drain(queue, max);
        const bad = queue.flatMap((b, i) => (b ? [i] : []));
        expect(failed).toEqual(bad);
        expect(committed).toEqual(queue.flatMap((b, i) => (b ? [] : [i])));
        const clean = Math.ceil(queue.length / max);
        expect(attempts).toBeLessThanOrEqual(clean + bad.length * (2 * Math.ceil(Math.log2(max + 1)) + 2));
      }),
    );
  });

  it("one bad write in a full batch of 500 costs a few commits (2·log2 500), not 500", () => {
    const queue = new Array<boolean>(500).fill(false);
    queue[333] = true;
    const { attempts, failed } = drain(queue, 500);
    expect(failed).toEqual([333]);
    expect(attempts).toBeLessThanOrEqual(20);
  });
});
