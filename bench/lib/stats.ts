// Percentiles and small numeric helpers.

/** The p-th percentile (nearest rank) of `values`; NaN when empty. Does not modify `values`. */
export function percentile(values: ArrayLike<number>, p: number): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1));
  return sorted[rank]!;
}

/** Several percentiles from one sort. */
export function percentiles(values: ArrayLike<number>, ps: number[]): number[] {
  const n = values.length;
  if (n === 0) return ps.map(() => Number.NaN);
  const sorted = Float64Array.from(values).sort();
  return ps.map((p) => sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]!);
}

export const median = (values: number[]): number => percentile(values, 50);

/** Rounds to `digits` significant decimals for the report. */
export function round(x: number, digits = 3): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A growable Float64 sample buffer (latency samples can run into the millions). */
export class Samples {
  private buf = new Float64Array(1024);
  length = 0;
  push(x: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = x;
  }
  values(): Float64Array {
    return this.buf.subarray(0, this.length);
  }
}
