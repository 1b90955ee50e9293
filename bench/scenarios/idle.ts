// idle: memory per idle, authenticated socket.io connection — server RSS after a full GC, before and after
// opening N connections (a few users, many sockets each), divided by N; the raw ws server the same way.
import { mapLimit, RawClient, SioClient, type LoadClient } from "../lib/clients";
import type { Profile } from "../lib/profiles";
import { seedUsers } from "../lib/seed";
import { startChatterbox, startRawWs, type RunningServer } from "../lib/servers";
import { round, sleep } from "../lib/stats";

/** Memory once RSS has stopped moving (freed pages go back to the OS a while after a GC), at most ~2 s on. */
async function settledMemory(
  server: Pick<RunningServer, "memory">,
): Promise<Awaited<ReturnType<RunningServer["memory"]>>> {
  let last = await server.memory();
  for (let i = 0; i < 10; i++) {
    await sleep(200);
    const next = await server.memory();
    if (Math.abs(next.rss - last.rss) < 512 * 1024) return next;
    last = next;
  }
  return last;
}

async function measure(
  server: Pick<RunningServer, "memory">,
  n: number,
  settleMs: number,
  connect: (i: number) => Promise<LoadClient>,
): Promise<{
  rssDelta: number;
  heapDelta: number;
  bytes: number;
  rssBelowHeap: boolean;
  gc: boolean;
  connectSeconds: number;
}> {
  const warm = await mapLimit([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 10, (i) => connect(i));
  await sleep(settleMs / 3);
  const m0 = await settledMemory(server);
  const t = performance.now();
  const clients = await mapLimit(
    Array.from({ length: n }, (_, i) => i),
    64,
    (i) => connect(i),
  );
  const connectSeconds = (performance.now() - t) / 1000;
  await sleep(settleMs);
  const m1 = await settledMemory(server);
  const open = clients.filter((c) => c.open).length;
  for (const c of [...warm, ...clients]) c.close();
  if (open !== n) throw new Error(`only ${open}/${n} connections stayed open`);
  const rssDelta = m1.rss - m0.rss;
  const heapDelta = m1.heapUsed - m0.heapUsed;
  // RSS cannot grow by less than the live heap did: when it seems to, the first reading still held pages the
  // allocator had freed but not returned, and the connections reused them (one run: 2.9 KB RSS against 13.1 KB
  // of heap per connection). The heap's growth is then the honest lower bound, and the run says so.
  return {
    rssDelta,
    heapDelta,
    bytes: Math.max(rssDelta, heapDelta),
    rssBelowHeap: rssDelta < heapDelta,
    gc: m0.gc && m1.gc,
    connectSeconds,
  };
}

export async function idleScenario(profile: Profile, log: (s: string) => void) {
  const p = profile.idle;
  const server = await startChatterbox({ fresh: true });
  let ours: Awaited<ReturnType<typeof measure>>;
  try {
    const users = seedUsers(server.databasePath, { prefix: "idle", count: p.users });
    ours = await measure(server, p.connections, p.settleMs, (i) =>
      SioClient.connect(server.url, users[i % users.length]!.token),
    );
  } finally {
    await server.stop();
  }
  log(`  chatterbox: ${p.connections} connections, RSS +${(ours.rssDelta / 1048576).toFixed(1)} MB`);

  const raw = await startRawWs({ fresh: true });
  let theirs: Awaited<ReturnType<typeof measure>>;
  try {
    theirs = await measure(raw, p.connections, p.settleMs, () => RawClient.connect(raw.url, "idle"));
  } finally {
    await raw.stop();
  }
  log(`  raw ws: ${p.connections} connections, RSS +${(theirs.rssDelta / 1048576).toFixed(1)} MB`);

  return {
    connections: p.connections,
    bytesPerConnection: Math.round(ours.bytes / p.connections),
    heapBytesPerConnection: Math.round(ours.heapDelta / p.connections),
    rawWsBytesPerConnection: Math.round(theirs.bytes / p.connections),
    ratioVsRawWs: round(ours.bytes / theirs.bytes, 2),
    /**
     * a reading where RSS grew less than the heap (see measure): the heap's growth was used instead. It leaves
     * out memory outside the heap, so the ratio is then a lower bound (the other side is still RSS).
     */
    rssBelowHeap: ours.rssBelowHeap,
    rawWsRssBelowHeap: theirs.rssBelowHeap,
    users: p.users,
    connectSeconds: round(ours.connectSeconds, 2),
    gcBeforeMeasuring: ours.gc,
  };
}
