// How many queued writes the next group commit takes, and how a batch that one bad write rolled back is
// split: tried again in halves, so the bad write ends up failing alone after about 2·log2(n) commits (not n,
// each with its fsync) and every other write of the batch is committed, in order. Shared by both writers.

export function createBatchSizer(max: number) {
  /** the size limit for the writes at the queue's head, and how many of them it applies to */
  let cap = max;
  let capped = 0;
  return {
    /** how many writes from the queue's head go into the next batch */
    next(): number {
      return capped > 0 ? Math.min(cap, capped) : max;
    },
    /** the batch of `size` writes at the head is done with: committed, or failed as it is */
    settled(size: number): void {
      capped = Math.max(0, capped - size);
    },
    /**
     * The batch of `size` writes at the head was rolled back by one of them. True: its writes stay queued
     * and go again in halves (the rest of an earlier split goes back to full batches: should it hold another
     * bad write, that batch is split in turn). False: it was that one write alone, which fails (`settled`).
     */
    split(size: number): boolean {
      if (size <= 1) return false;
      cap = Math.ceil(size / 2);
      capped = size;
      return true;
    },
  };
}
