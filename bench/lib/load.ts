// Open-loop message load over a set of rooms: messages go out at a fixed rate (whatever the server's pace,
// as real users would send them), round-robin over the rooms and over each room's members as senders, and
// every member's receipt of every message is one latency sample (send → receipt, one clock: the
// generator's). What has not arrived when the drain time is over counts as lost.
import { randomUUID } from "node:crypto";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { LoadClient } from "./clients";
import { percentiles, Samples, sleep } from "./stats";

export interface LoadRoom {
  name: string;
  members: LoadClient[];
}

export interface LoadResult {
  ratePerSec: number;
  /** seconds spent sending */
  seconds: number;
  sent: number;
  /** deliveries expected: sum over sent messages of their room's size */
  expected: number;
  delivered: number;
  lost: number;
  /** deliveries per second of sending time */
  deliveriesPerSec: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** per message: until its last member had it */
  completionP99Ms: number;
  /** acks that said no (or never came), when acks are asked for */
  ackFailures: number;
  /** the generator's own CPU use (1 = one core busy) and event-loop delay: is the generator the bottleneck? */
  generatorCpu: number;
  generatorLagP99Ms: number;
}

export async function runLoad(
  rooms: LoadRoom[],
  opts: {
    ratePerSec: number;
    seconds: number;
    drainMs: number;
    acks?: boolean;
    /** also gets every delivery latency (to pool several runs) */
    collect?: Samples;
  },
): Promise<LoadResult> {
  const pending = new Map<string, { t0: number; remaining: number }>();
  const samples = new Samples();
  const completion = new Samples();
  let ackFailures = 0;
  const onAck = (ok: boolean) => {
    if (!ok) ackFailures++;
  };
  const onDelivery = (id: string) => {
    const p = pending.get(id);
    if (!p) return;
    const ms = performance.now() - p.t0;
    samples.push(ms);
    opts.collect?.push(ms);
    if (--p.remaining === 0) {
      completion.push(ms);
      pending.delete(id);
    }
  };
  for (const room of rooms) for (const m of room.members) m.onDelivery = onDelivery;

  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const end = start + opts.seconds * 1000;
  // never more than this many in one tick, even after a stall: a bounded burst
  const maxPerTick = Math.max(1, Math.ceil(opts.ratePerSec / 20));
  const senderTurn = rooms.map(() => 0);
  let roomTurn = 0;
  let sent = 0;
  let expected = 0;
  const maxMessages = Math.ceil(opts.ratePerSec * opts.seconds) + 1;

  for (let tick = 0; tick < 10_000_000; tick++) {
    const now = performance.now();
    if (now >= end || sent >= maxMessages) break;
    const due = Math.min(maxPerTick, Math.floor(((now - start) / 1000) * opts.ratePerSec) - sent);
    for (let i = 0; i < due; i++) {
      const r = roomTurn++ % rooms.length;
      const room = rooms[r]!;
      const sender = room.members[senderTurn[r]!++ % room.members.length]!;
      const clientId = randomUUID();
      pending.set(clientId, { t0: performance.now(), remaining: room.members.length });
      expected += room.members.length;
      sent++;
      sender.sendChat(room.name, clientId, opts.acks ? onAck : undefined);
    }
    await sleep(1);
  }
  const sendSeconds = (performance.now() - start) / 1000;
  const drainEnd = performance.now() + opts.drainMs;
  for (let i = 0; i < 100_000 && pending.size > 0 && performance.now() < drainEnd; i++) await sleep(5);
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - start;
  lag.disable();
  for (const room of rooms) for (const m of room.members) m.onDelivery = undefined;

  const [p50, p90, p99, max] = percentiles(samples.values(), [50, 90, 99, 100]);
  const [cp99] = percentiles(completion.values(), [99]);
  return {
    ratePerSec: opts.ratePerSec,
    seconds: sendSeconds,
    sent,
    expected,
    delivered: samples.length,
    lost: expected - samples.length,
    deliveriesPerSec: samples.length / sendSeconds,
    p50Ms: p50!,
    p90Ms: p90!,
    p99Ms: p99!,
    maxMs: max!,
    completionP99Ms: cp99!,
    ackFailures,
    generatorCpu: (cpu.user + cpu.system) / 1000 / wall,
    generatorLagP99Ms: lag.percentile(99) / 1e6,
  };
}

/**
 * Waits until none of `clients` has received anything for `quietMs` (at most `maxMs`): the backlog of an
 * overloaded step must not spill into the next measurement. Resolves with whether it went quiet.
 */
export async function quiesce(clients: LoadClient[], quietMs = 300, maxMs = 15_000): Promise<boolean> {
  const total = () => clients.reduce((n, c) => n + c.received, 0);
  const end = performance.now() + maxMs;
  let last = total();
  let quietSince = performance.now();
  for (let i = 0; i < 10_000 && performance.now() < end; i++) {
    await sleep(50);
    const now = total();
    if (now !== last) {
      last = now;
      quietSince = performance.now();
    } else if (performance.now() - quietSince >= quietMs) return true;
  }
  return false;
}
