// cluster (issue 15): the same socket.io layout against one server process and against two processes sharing
// one PostgreSQL and one Redis, clients split evenly between the two (so about half of every room's
// deliveries cross processes through Redis). The Chatterbox processes are pinned to the server core in both
// runs, PostgreSQL and Redis (the shared services, on machines of their own in a real cluster) to the other
// core: the ratios are the cost of coordination. Measured: latency p99 at
// a fixed rate, deliveries/s under overload (sent faster than the server keeps up, until the backlog
// drains), and durable acked messages/s on PostgreSQL against raw single-row `pg` commits on the same core.
import { randomUUID } from "node:crypto";
import { startBenchPostgres, startBenchRedis, startPgServer, type ClusterServer } from "../lib/cluster-infra";
import { mapLimit, SioClient, type LoadClient } from "../lib/clients";
import { quiesce, runLoad, type LoadRoom } from "../lib/load";
import type { Profile } from "../lib/profiles";
import { spawnNode } from "../lib/procs";
import { seedUsersPg } from "../lib/seed-pg";
import { SERVER_CORE } from "../lib/servers";
import { round } from "../lib/stats";

type Ack = { ok: boolean; error?: { detail: string } };

/** `rooms` rooms of `members` clients, client i connected to server i mod n (the first member creates the room). */
async function layout(urls: string[], databaseUrl: string, rooms: number, members: number, prefix: string) {
  const users = await seedUsersPg(databaseUrl, { prefix, count: rooms * members });
  const clients = await mapLimit(users, 32, (u, i) => SioClient.connect(urls[i % urls.length]!, u.token));
  const built: LoadRoom[] = [];
  try {
    for (let r = 0; r < rooms; r++) {
      const name = `${prefix}-room-${r}`;
      const inRoom = clients.slice(r * members, (r + 1) * members);
      const created = await inRoom[0]!.request<Ack>("room:create", { name });
      if (!created.ok) throw new Error(`room:create refused: ${created.error?.detail ?? "?"}`);
      await mapLimit(inRoom.slice(1), 16, async (c) => {
        const joined = await c.request<Ack>("room:join", { room: name });
        if (!joined.ok) throw new Error(`room:join refused: ${joined.error?.detail ?? "?"}`);
      });
      built.push({ name, members: inRoom });
    }
  } catch (err) {
    clients.forEach((c) => c.close());
    throw err;
  }
  return { rooms: built, clients, close: () => clients.forEach((c) => c.close()) };
}

/** latency at the profile's rate, then deliveries/s while sending faster than the server keeps up */
async function measure(servers: ClusterServer[], databaseUrl: string, p: Profile["cluster"], label: string) {
  const built = await layout(
    servers.map((s) => s.url),
    databaseUrl,
    p.rooms,
    Math.round(p.clients / p.rooms),
    label,
  );
  try {
    await runLoad(built.rooms, { ratePerSec: p.ratePerSec, seconds: p.warmupSeconds, drainMs: 1000, acks: true });
    await quiesce(built.clients);
    const latency = await runLoad(built.rooms, {
      ratePerSec: p.ratePerSec,
      seconds: p.stepSeconds,
      drainMs: 2000,
      acks: true,
    });
    await quiesce(built.clients);
    const t = performance.now();
    const flood = await runLoad(built.rooms, {
      ratePerSec: p.floodRatePerSec,
      seconds: p.floodSeconds,
      drainMs: 20_000,
      acks: true,
    });
    const wallSeconds = (performance.now() - t) / 1000;
    return { latency, flood, floodDeliveriesPerSec: flood.delivered / wallSeconds };
  } finally {
    built.close();
  }
}

/** durable acked sends from `senders` clients, each alone in its room and waiting for its ack, for `seconds` */
async function persistRound(clients: LoadClient[], rooms: string[], seconds: number): Promise<number> {
  let acked = 0;
  const deadline = performance.now() + seconds * 1000;
  await mapLimit(clients, clients.length, async (client, i) => {
    for (let n = 0; n < 1_000_000 && performance.now() < deadline; n++) {
      const ok = await new Promise<boolean>((resolve) => client.sendChat(rooms[i]!, randomUUID(), (k) => resolve(k)));
      if (ok && performance.now() <= deadline) acked++;
    }
  });
  return acked;
}

async function rawPgRound(databaseUrl: string, seconds: number): Promise<number> {
  const child = spawnNode(["--import", "tsx", "bench/raw-pg.ts", databaseUrl, String(seconds)], { core: SERVER_CORE });
  try {
    const line = await child.waitForLine("RESULT ", seconds * 1000 + 60_000);
    return (JSON.parse(line) as { inserts: number }).inserts;
  } finally {
    await child.stop();
  }
}

/** the server's acked messages/s on PostgreSQL and raw single-row commits/s, alternating round by round */
async function persistOnPostgres(server: ClusterServer, databaseUrl: string, p: Profile["cluster"]) {
  const built = await layout([server.url], databaseUrl, p.persistSenders, 1, "pgp");
  try {
    const rooms = built.rooms.map((r) => r.name);
    let ours = 0;
    let raw = 0;
    for (let round = 0; round < p.persistRounds; round++) {
      ours += await persistRound(built.clients, rooms, p.persistRoundSeconds);
      raw += await rawPgRound(databaseUrl, p.persistRoundSeconds);
    }
    const seconds = p.persistRounds * p.persistRoundSeconds;
    return { messagesPerSec: ours / seconds, rawPerSec: raw / seconds };
  } finally {
    built.close();
  }
}

export async function clusterScenario(profile: Profile, log: (s: string) => void) {
  const p = profile.cluster;
  const postgres = await startBenchPostgres();
  const started: { stop(): Promise<void> }[] = [];
  try {
    const redis = await startBenchRedis();
    started.push(redis);
    const singleDb = await postgres.createDatabase();
    const single = await startPgServer(singleDb);
    started.push(single);
    const one = await measure([single], singleDb, p, "one");
    log(
      `  one process: p99 ${one.latency.p99Ms.toFixed(2)} ms (lost ${one.latency.lost}), ${Math.round(one.floodDeliveriesPerSec)} deliveries/s under overload`,
    );
    const persist = await persistOnPostgres(single, singleDb, p);
    log(
      `  persist on PostgreSQL: ${Math.round(persist.messagesPerSec)} acked msgs/s, raw pg ${Math.round(persist.rawPerSec)} single-row commits/s`,
    );
    await single.stop();

    const clusterDb = await postgres.createDatabase();
    // one after the other: both migrate the same database, and the second finds it done
    const a = await startPgServer(clusterDb, redis.url);
    started.push(a);
    const b = await startPgServer(clusterDb, redis.url);
    started.push(b);
    const two = await measure([a, b], clusterDb, p, "two");
    log(
      `  two processes: p99 ${two.latency.p99Ms.toFixed(2)} ms (lost ${two.latency.lost}), ${Math.round(two.floodDeliveriesPerSec)} deliveries/s under overload`,
    );
    return {
      clients: p.clients,
      rooms: p.rooms,
      ratePerSec: p.ratePerSec,
      singleP50Ms: round(one.latency.p50Ms, 2),
      singleP99Ms: round(one.latency.p99Ms, 2),
      clusterP50Ms: round(two.latency.p50Ms, 2),
      clusterP99Ms: round(two.latency.p99Ms, 2),
      p99Ratio: round(two.latency.p99Ms / one.latency.p99Ms, 2),
      lost: one.latency.lost + two.latency.lost,
      floodRatePerSec: p.floodRatePerSec,
      singleDeliveriesPerSec: Math.round(one.floodDeliveriesPerSec),
      clusterDeliveriesPerSec: Math.round(two.floodDeliveriesPerSec),
      deliveriesRatio: round(two.floodDeliveriesPerSec / one.floodDeliveriesPerSec, 2),
      floodLost: one.flood.lost + two.flood.lost,
      pgMessagesPerSec: Math.round(persist.messagesPerSec),
      rawPgSingleRowPerSec: Math.round(persist.rawPerSec),
      pgPersistRatio: round(persist.messagesPerSec / persist.rawPerSec, 2),
      persistSenders: p.persistSenders,
      notes: [
        "the Chatterbox processes pinned to the server core in both runs; PostgreSQL and redis-server (the shared services) to the other core",
        "deliveries/s: sent faster than either setup keeps up, counted until the backlog drained",
      ],
    };
  } finally {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    await postgres.stop();
  }
}
