// latency: N socket.io clients in R rooms, operations in at a fixed rate (persisted, acked): 80 % new messages,
// 10 % edits and 10 % reaction changes (issue 11), p50/p99 from the operation to each member's receipt of its
// `message:new` or `message:updated`, pooled and per kind — and the same layout and total rate of plain
// messages on the raw ws broadcast server, in the same run, alternating with ours rate by rate. The rate
// sweep is the latency-against-load curve of the plot. Then, at the target rate, the same raw server
// committing every frame to SQLite before it forwards it (fsync'd, as ours): the floor under the p50 target.
import { ChangeMix, DEFAULT_SHARES as mixShares } from "../lib/change-mix";
import { quiesce, runLoad, type LoadResult } from "../lib/load";
import type { Profile } from "../lib/profiles";
import { startChatterbox, startRawWs } from "../lib/servers";
import { round } from "../lib/stats";
import { chatterboxLayout, rawLayout, type Layout } from "../lib/topology";

export interface SweepPoint {
  ratePerSec: number;
  p50Ms: number;
  p99Ms: number;
  lost: number;
  rawWsP50Ms: number;
  rawWsP99Ms: number;
  rawWsLost: number;
  /** new messages alone, and changes alone (the pooled p50/p99 above are over both) */
  messageP99Ms: number;
  changeP99Ms: number;
  changeLost: number;
  generatorCpu: number;
}

/** The same layout and rate on a raw ws server that commits every frame before forwarding it. */
async function durableFloor(layout: Layout, step: { ratePerSec: number; seconds: number; warmupSeconds: number }) {
  const raw = await startRawWs({ durable: true });
  try {
    const built = await rawLayout(raw.url, layout, "latd");
    try {
      await runLoad(built.rooms, {
        ratePerSec: step.ratePerSec,
        seconds: step.warmupSeconds,
        drainMs: 1000,
        acks: true,
      });
      await quiesce(built.clients);
      return await runLoad(built.rooms, {
        ratePerSec: step.ratePerSec,
        seconds: step.seconds,
        drainMs: 2000,
        acks: true,
      });
    } finally {
      built.close();
    }
  } finally {
    await raw.stop();
  }
}

/** Both servers up at once (an idle one costs nothing), measured in turn at each rate: ours, then raw. */
async function runSweep(p: Profile["latency"], layout: Layout, log: (s: string) => void) {
  const server = await startChatterbox();
  const raw = await startRawWs().catch(async (err: unknown) => {
    await server.stop();
    throw err;
  });
  const ours: LoadResult[] = [];
  const theirs: LoadResult[] = [];
  let setupSeconds: number;
  try {
    const t = performance.now();
    const built = await chatterboxLayout(server, layout, "lat");
    setupSeconds = (performance.now() - t) / 1000;
    // one acked message per member first: everyone has a message of their own to edit
    const mix = new ChangeMix();
    await mix.seed(built.rooms);
    log(`  ${p.clients} socket.io clients in ${p.rooms} rooms ready in ${setupSeconds.toFixed(1)} s`);
    const rawBuilt = await rawLayout(raw.url, layout, "lat").catch((err: unknown) => {
      built.close();
      throw err;
    });
    try {
      const warm = { ratePerSec: p.sweep[0]!, seconds: p.warmupSeconds, drainMs: 1000, acks: true };
      await runLoad(built.rooms, { ...warm, mix });
      await runLoad(rawBuilt.rooms, warm);
      for (const rate of p.sweep) {
        const load = { ratePerSec: rate, seconds: p.stepSeconds, drainMs: 2000, acks: true };
        const everyone = [...built.clients, ...rawBuilt.clients];
        await quiesce(everyone);
        const a = await runLoad(built.rooms, { ...load, mix });
        await quiesce(everyone);
        const b = await runLoad(rawBuilt.rooms, load);
        const { message: m, change: c } = a.byKind;
        log(
          `  ${rate} ops/s: chatterbox p50 ${a.p50Ms.toFixed(2)} / p99 ${a.p99Ms.toFixed(2)} ms (lost ${a.lost}; messages p99 ${m.p99Ms.toFixed(2)}, ${c.sent} changes p99 ${c.p99Ms.toFixed(2)} lost ${c.lost}), raw ws p50 ${b.p50Ms.toFixed(2)} / p99 ${b.p99Ms.toFixed(2)} ms (lost ${b.lost})`,
        );
        ours.push(a);
        theirs.push(b);
      }
    } finally {
      built.close();
      rawBuilt.close();
    }
  } finally {
    await server.stop();
    await raw.stop();
  }
  return { ours, theirs, setupSeconds };
}

/** One point of the latency-against-load curve per rate: ours and raw. */
function sweepPoints(ours: LoadResult[], theirs: LoadResult[]): SweepPoint[] {
  return ours.map((r, i) => ({
    ratePerSec: r.ratePerSec,
    p50Ms: round(r.p50Ms),
    p99Ms: round(r.p99Ms),
    lost: r.lost,
    rawWsP50Ms: round(theirs[i]!.p50Ms),
    rawWsP99Ms: round(theirs[i]!.p99Ms),
    rawWsLost: theirs[i]!.lost,
    messageP99Ms: round(r.byKind.message.p99Ms),
    changeP99Ms: round(r.byKind.change.p99Ms),
    changeLost: r.byKind.change.lost,
    generatorCpu: round(r.generatorCpu, 2),
  }));
}

export async function latencyScenario(profile: Profile, log: (s: string) => void) {
  const p = profile.latency;
  const layout: Layout = { rooms: p.rooms, membersPerRoom: Math.round(p.clients / p.rooms) };
  if (!p.sweep.includes(p.ratePerSec)) throw new Error("the sweep must include ratePerSec");
  const { ours, theirs, setupSeconds } = await runSweep(p, layout, log);
  const points = sweepPoints(ours, theirs);
  const durable = await durableFloor(layout, {
    ratePerSec: p.ratePerSec,
    seconds: p.stepSeconds,
    warmupSeconds: p.warmupSeconds,
  });
  log(
    `  raw ws, durable, ${p.ratePerSec} msg/s: p50 ${durable.p50Ms.toFixed(2)} / p99 ${durable.p99Ms.toFixed(2)} ms (lost ${durable.lost})`,
  );
  const at = ours[p.sweep.indexOf(p.ratePerSec)]!;
  const rawAt = theirs[p.sweep.indexOf(p.ratePerSec)]!;
  return {
    clients: layout.rooms * layout.membersPerRoom,
    rooms: layout.rooms,
    ratePerSec: p.ratePerSec,
    p50Ms: round(at.p50Ms),
    p99Ms: round(at.p99Ms),
    p90Ms: round(at.p90Ms),
    maxMs: round(at.maxMs),
    completionP99Ms: round(at.completionP99Ms),
    deliveries: at.delivered,
    lost: at.lost,
    /** the mix at ratePerSec: operations of each kind, their own p50/p99 and losses */
    mix: { edits: mixShares.edits, reactions: mixShares.reactions },
    messages: at.byKind.message.sent,
    messageP50Ms: round(at.byKind.message.p50Ms),
    messageP99Ms: round(at.byKind.message.p99Ms),
    messageLost: at.byKind.message.lost,
    changes: at.byKind.change.sent,
    changeP50Ms: round(at.byKind.change.p50Ms),
    changeP99Ms: round(at.byKind.change.p99Ms),
    changeLost: at.byKind.change.lost,
    changeFallbacks: at.changeFallbacks,
    ackFailures: at.ackFailures,
    rawWsP50Ms: round(rawAt.p50Ms),
    rawWsP99Ms: round(rawAt.p99Ms),
    p99RatioVsRawWs: round(at.p99Ms / rawAt.p99Ms, 2),
    /** the raw server committing each frame (1-row fsync'd commits) before forwarding it, at ratePerSec */
    rawDurableP50Ms: round(durable.p50Ms),
    rawDurableP99Ms: round(durable.p99Ms),
    generatorCpu: round(at.generatorCpu, 2),
    generatorLagP99Ms: round(at.generatorLagP99Ms),
    setupSeconds: round(setupSeconds, 1),
    stepSeconds: p.stepSeconds,
    sweep: points,
  };
}
