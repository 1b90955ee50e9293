// latencyScale (issue 17, "latency at 10×"): the latency layout ten times over — 10,000 socket.io clients in
// 1,000 rooms at 2,000 durable messages/s — one rate, no sweep; then the same layout and rate on the raw ws
// broadcast server. One after the other: the generator's open-file limit holds one layout at a time.
import { quiesce, runLoad, type LoadResult } from "../lib/load";
import type { Profile } from "../lib/profiles";
import { startChatterbox, startRawWs } from "../lib/servers";
import { round } from "../lib/stats";
import { chatterboxLayout, rawLayout, type Built } from "../lib/topology";

async function measure(built: Built, p: Profile["latencyScale"]): Promise<LoadResult> {
  try {
    await runLoad(built.rooms, { ratePerSec: p.ratePerSec, seconds: p.warmupSeconds, drainMs: 1000, acks: true });
    await quiesce(built.clients);
    return await runLoad(built.rooms, { ratePerSec: p.ratePerSec, seconds: p.stepSeconds, drainMs: 3000, acks: true });
  } finally {
    built.close();
  }
}

export async function latencyScaleScenario(profile: Profile, log: (s: string) => void) {
  const p = profile.latencyScale;
  const layout = { rooms: p.rooms, membersPerRoom: Math.round(p.clients / p.rooms) };
  const server = await startChatterbox();
  let ours: LoadResult;
  let setupSeconds: number;
  try {
    const t = performance.now();
    const built = await chatterboxLayout(server, layout, "x10");
    setupSeconds = (performance.now() - t) / 1000;
    log(`  ${p.clients} socket.io clients in ${p.rooms} rooms ready in ${setupSeconds.toFixed(1)} s`);
    ours = await measure(built, p);
  } finally {
    await server.stop();
  }
  log(`  chatterbox: p50 ${ours.p50Ms.toFixed(2)} / p99 ${ours.p99Ms.toFixed(2)} ms, lost ${ours.lost}`);
  const raw = await startRawWs();
  let theirs: LoadResult;
  try {
    theirs = await measure(await rawLayout(raw.url, layout, "x10"), p);
  } finally {
    await raw.stop();
  }
  log(`  raw ws: p50 ${theirs.p50Ms.toFixed(2)} / p99 ${theirs.p99Ms.toFixed(2)} ms, lost ${theirs.lost}`);
  return {
    clients: p.clients,
    rooms: p.rooms,
    ratePerSec: p.ratePerSec,
    p50Ms: round(ours.p50Ms),
    p99Ms: round(ours.p99Ms),
    lost: ours.lost,
    sent: ours.sent,
    delivered: ours.delivered,
    rawWsP50Ms: round(theirs.p50Ms),
    rawWsP99Ms: round(theirs.p99Ms),
    rawWsLost: theirs.lost,
    p99RatioVsRawWs: round(ours.p99Ms / theirs.p99Ms, 2),
    generatorCpu: round(ours.generatorCpu, 2),
    setupSeconds: round(setupSeconds, 1),
  };
}
