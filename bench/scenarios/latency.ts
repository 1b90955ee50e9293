// latency: N socket.io clients in R rooms, messages in at a fixed rate (persisted, acked), p50/p99 from send
// to each member's receipt — and the same layout and rates on the raw ws broadcast server, in the same run,
// alternating with ours rate by rate. The rate sweep is the latency-against-load curve of the plot.
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
  generatorCpu: number;
}

export async function latencyScenario(profile: Profile, log: (s: string) => void) {
  const p = profile.latency;
  const layout: Layout = { rooms: p.rooms, membersPerRoom: Math.round(p.clients / p.rooms) };
  if (!p.sweep.includes(p.ratePerSec)) throw new Error("the sweep must include ratePerSec");

  // both servers up at once (an idle one costs nothing), measured in turn at each rate: ours, then raw
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
    log(`  ${p.clients} socket.io clients in ${p.rooms} rooms ready in ${setupSeconds.toFixed(1)} s`);
    const rawBuilt = await rawLayout(raw.url, layout, "lat").catch((err: unknown) => {
      built.close();
      throw err;
    });
    try {
      const warm = { ratePerSec: p.sweep[0]!, seconds: p.warmupSeconds, drainMs: 1000, acks: true };
      await runLoad(built.rooms, warm);
      await runLoad(rawBuilt.rooms, warm);
      for (const rate of p.sweep) {
        const load = { ratePerSec: rate, seconds: p.stepSeconds, drainMs: 2000, acks: true };
        const everyone = [...built.clients, ...rawBuilt.clients];
        await quiesce(everyone);
        const a = await runLoad(built.rooms, load);
        await quiesce(everyone);
        const b = await runLoad(rawBuilt.rooms, load);
        log(
          `  ${rate} msg/s: chatterbox p50 ${a.p50Ms.toFixed(2)} / p99 ${a.p99Ms.toFixed(2)} ms (lost ${a.lost}), raw ws p50 ${b.p50Ms.toFixed(2)} / p99 ${b.p99Ms.toFixed(2)} ms (lost ${b.lost})`,
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

  const points: SweepPoint[] = ours.map((r, i) => ({
    ratePerSec: r.ratePerSec,
    p50Ms: round(r.p50Ms),
    p99Ms: round(r.p99Ms),
    lost: r.lost,
    rawWsP50Ms: round(theirs[i]!.p50Ms),
    rawWsP99Ms: round(theirs[i]!.p99Ms),
    rawWsLost: theirs[i]!.lost,
    generatorCpu: round(r.generatorCpu, 2),
  }));
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
    ackFailures: at.ackFailures,
    rawWsP50Ms: round(rawAt.p50Ms),
    rawWsP99Ms: round(rawAt.p99Ms),
    p99RatioVsRawWs: round(at.p99Ms / rawAt.p99Ms, 2),
    generatorCpu: round(at.generatorCpu, 2),
    generatorLagP99Ms: round(at.generatorLagP99Ms),
    setupSeconds: round(setupSeconds, 1),
    stepSeconds: p.stepSeconds,
    sweep: points,
  };
}
