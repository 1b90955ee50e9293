// Open-loop message load over a set of rooms: messages go out at a fixed rate (whatever the server's pace,
// as real users would send them), round-robin over the rooms and over each room's members as senders, and
// every member's receipt of every message is one latency sample (send → receipt, one clock: the
// generator's). What has not arrived when the drain time is over counts as lost. With a ChangeMix, a share
// of the operations are edits and reaction changes instead, each expected as `message:updated` by every
// member, at the same total rate.
import { randomUUID } from "node:crypto";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { ChangeMix } from "./change-mix";
import type { LoadClient } from "./clients";
import { Deliveries, type DeliveryKind, type KindStats } from "./deliveries";
import { percentiles, sleep, type Samples } from "./stats";

export interface LoadRoom {
  name: string;
  members: LoadClient[];
}

export interface LoadResult {
  ratePerSec: number;
  /** seconds spent sending */
  seconds: number;
  /** operations issued: messages and (with a mix) changes */
  sent: number;
  /** deliveries expected: sum over operations of their room's size */
  expected: number;
  delivered: number;
  lost: number;
  /** deliveries per second of sending time */
  deliveriesPerSec: number;
  /** every delivery pooled, messages and changes */
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** per operation: until its last member had it */
  completionP99Ms: number;
  /** new messages (`message:new`) alone, and edits and reaction changes (`message:updated`) alone */
  byKind: Record<DeliveryKind, KindStats>;
  /** changes that were due but found no free target and went out as messages instead */
  changeFallbacks: number;
  /** acks that said no (or never came), when acks are asked for */
  ackFailures: number;
  /** the generator's own CPU use (1 = one core busy) and event-loop delay: is the generator the bottleneck? */
  generatorCpu: number;
  generatorLagP99Ms: number;
}

export interface LoadOptions {
  ratePerSec: number;
  seconds: number;
  drainMs: number;
  acks?: boolean;
  /** also gets every delivery latency (to pool several runs) */
  collect?: Samples;
  /** edits and reactions mixed in at the same total rate (needs acks, and members that send changes) */
  mix?: ChangeMix;
}

/** Issues operation number `n` (a message, or a change from the mix) from `sender` in `room`. */
function issue(n: number, room: LoadRoom, sender: LoadClient, d: Deliveries, opts: LoadOptions, onAck: Ack): boolean {
  const mix = opts.mix;
  const kind = mix?.kindAt(n) ?? "send";
  const change = kind !== "send" && sender.sendChange ? mix!.take(kind, room.name, sender) : undefined;
  if (change) {
    d.expect(`u${change.id}`, "change", room.members.length, () => mix!.release(change.id));
    sender.sendChange!(change, onAck);
    return false;
  }
  const clientId = randomUUID();
  d.expect(clientId, "message", room.members.length);
  if (!opts.acks) sender.sendChat(room.name, clientId);
  else
    sender.sendChat(room.name, clientId, (ok, id) => {
      onAck(ok);
      if (ok && id !== undefined) mix?.record(room.name, sender, id);
    });
  return kind !== "send";
}

type Ack = (ok: boolean) => void;

export async function runLoad(rooms: LoadRoom[], opts: LoadOptions): Promise<LoadResult> {
  const d = new Deliveries(opts.collect);
  let ackFailures = 0;
  let changeFallbacks = 0;
  const onAck = (ok: boolean) => {
    if (!ok) ackFailures++;
  };
  const onDelivery = (id: string) => d.receive(id);
  const onUpdate = (id: number) => d.receive(`u${id}`);
  for (const room of rooms) for (const m of room.members) Object.assign(m, { onDelivery, onUpdate });

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
  const maxMessages = Math.ceil(opts.ratePerSec * opts.seconds) + 1;

  for (let tick = 0; tick < 10_000_000; tick++) {
    const now = performance.now();
    if (now >= end || sent >= maxMessages) break;
    const due = Math.min(maxPerTick, Math.floor(((now - start) / 1000) * opts.ratePerSec) - sent);
    for (let i = 0; i < due; i++) {
      const r = roomTurn++ % rooms.length;
      const room = rooms[r]!;
      const sender = room.members[senderTurn[r]!++ % room.members.length]!;
      if (issue(sent++, room, sender, d, opts, onAck)) changeFallbacks++;
    }
    await sleep(1);
  }
  const sendSeconds = (performance.now() - start) / 1000;
  const drainEnd = performance.now() + opts.drainMs;
  for (let i = 0; i < 100_000 && d.waiting > 0 && performance.now() < drainEnd; i++) await sleep(5);
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - start;
  lag.disable();
  for (const room of rooms)
    for (const m of room.members) Object.assign(m, { onDelivery: undefined, onUpdate: undefined });

  const [p50, p90, p99, max] = percentiles(d.all.values(), [50, 90, 99, 100]);
  const [cp99] = percentiles(d.completion.values(), [99]);
  return {
    ratePerSec: opts.ratePerSec,
    seconds: sendSeconds,
    sent,
    expected: d.expected,
    delivered: d.all.length,
    lost: d.expected - d.all.length,
    deliveriesPerSec: d.all.length / sendSeconds,
    p50Ms: p50!,
    p90Ms: p90!,
    p99Ms: p99!,
    maxMs: max!,
    completionP99Ms: cp99!,
    byKind: { message: d.stats("message"), change: d.stats("change") },
    changeFallbacks,
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
