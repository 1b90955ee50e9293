// Who still has to receive what, in a load run: each message or change is expected by every member of its
// room; every receipt is one latency sample (send → receipt, the generator's clock), pooled and per kind.
import { percentiles, Samples } from "./stats";

export type DeliveryKind = "message" | "change";

export interface KindStats {
  /** operations issued */
  sent: number;
  /** deliveries expected: sum over operations of their room's size */
  expected: number;
  delivered: number;
  lost: number;
  p50Ms: number;
  p99Ms: number;
}

interface Pending {
  t0: number;
  remaining: number;
  kind: DeliveryKind;
  /** runs once every member has it */
  done?: () => void;
}

export class Deliveries {
  private readonly pending = new Map<string, Pending>();
  readonly all = new Samples();
  /** per operation: until its last member had it */
  readonly completion = new Samples();
  private readonly samples = { message: new Samples(), change: new Samples() };
  private readonly counts = { message: { sent: 0, expected: 0 }, change: { sent: 0, expected: 0 } };

  constructor(private readonly collect?: Samples) {}

  get waiting(): number {
    return this.pending.size;
  }

  get expected(): number {
    return this.counts.message.expected + this.counts.change.expected;
  }

  /** `key` is due at `members` clients from now on. */
  expect(key: string, kind: DeliveryKind, members: number, done?: () => void): void {
    this.pending.set(key, { t0: performance.now(), remaining: members, kind, ...(done && { done }) });
    this.counts[kind].sent++;
    this.counts[kind].expected += members;
  }

  /** One member received `key` (anything not expected is ignored). */
  receive(key: string): void {
    const p = this.pending.get(key);
    if (!p) return;
    const ms = performance.now() - p.t0;
    this.all.push(ms);
    this.samples[p.kind].push(ms);
    this.collect?.push(ms);
    if (--p.remaining > 0) return;
    this.completion.push(ms);
    this.pending.delete(key);
    p.done?.();
  }

  stats(kind: DeliveryKind): KindStats {
    const s = this.samples[kind];
    const [p50, p99] = percentiles(s.values(), [50, 99]);
    const { sent, expected } = this.counts[kind];
    return { sent, expected, delivered: s.length, lost: expected - s.length, p50Ms: p50!, p99Ms: p99! };
  }
}
