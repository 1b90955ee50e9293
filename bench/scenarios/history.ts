// history: p99 of the last-50 page and of `before` pages (random cursors) over GET /api/messages in a room of
// many messages (seeded straight into SQLite), one request at a time; baselines in the same run: the same two
// queries on raw better-sqlite3 (same core), and GET /api/health (the HTTP + route floor).
import { SioClient } from "../lib/clients";
import { request } from "../lib/http";
import type { Profile } from "../lib/profiles";
import { seedMessages, seedUsers } from "../lib/seed";
import { runRawBaseline, startChatterbox } from "../lib/servers";
import { percentiles, round, Samples } from "../lib/stats";

interface RawHistory {
  lastP50Ms: number;
  lastP99Ms: number;
  beforeP50Ms: number;
  beforeP99Ms: number;
}

export async function historyScenario(profile: Profile, log: (s: string) => void) {
  const p = profile.history;
  const room = "history-big";
  const server = await startChatterbox();
  try {
    const [user] = seedUsers(server.databasePath, { prefix: "hist", count: 1 });
    const client = await SioClient.connect(server.url, user!.token);
    try {
      const ack = await client.request<{ ok: boolean }>("room:create", { name: room });
      if (!ack.ok) throw new Error("room:create refused");
    } finally {
      client.close();
    }
    const t = performance.now();
    const { firstId, lastId } = seedMessages(server.databasePath, { room, user: user!, rows: p.rows });
    log(`  seeded ${p.rows} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const headers = { authorization: `Bearer ${user!.token}` };
    const base = `${server.url}/api/messages?room=${room}&limit=50`;
    const get = async (url: string): Promise<number> => {
      const t0 = performance.now();
      const res = await request(url, { headers });
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`${url}: ${res.status} ${res.body}`);
      return ms;
    };
    const cursor = () => firstId + 50 + Math.floor(Math.random() * Math.max(1, lastId - firstId - 50));
    for (let i = 0; i < Math.min(100, p.queries); i++) {
      await get(base);
      await get(`${base}&before=${cursor()}`);
      await get(`${server.url}/api/health`);
    }
    const last = new Samples();
    const before = new Samples();
    const health = new Samples();
    for (let i = 0; i < p.queries; i++) {
      last.push(await get(base));
      before.push(await get(`${base}&before=${cursor()}`));
      health.push(await get(`${server.url}/api/health`));
    }
    const raw = await runRawBaseline<RawHistory>(["history", server.databasePath, room, String(p.queries)], 120_000);
    const [lastP50, lastP99] = percentiles(last.values(), [50, 99]);
    const [beforeP50, beforeP99] = percentiles(before.values(), [50, 99]);
    const [healthP99] = percentiles(health.values(), [99]);
    log(
      `  last-50 p99 ${lastP99!.toFixed(2)} ms, before p99 ${beforeP99!.toFixed(2)} ms (raw ${raw.lastP99Ms.toFixed(3)} / ${raw.beforeP99Ms.toFixed(3)} ms)`,
    );
    return {
      rows: p.rows,
      /** the worse of the two page kinds */
      p99Ms: round(Math.max(lastP99!, beforeP99!)),
      lastP50Ms: round(lastP50!),
      lastP99Ms: round(lastP99!),
      beforeP50Ms: round(beforeP50!),
      beforeP99Ms: round(beforeP99!),
      queries: p.queries,
      rawSqliteLastP99Ms: round(raw.lastP99Ms, 4),
      rawSqliteBeforeP99Ms: round(raw.beforeP99Ms, 4),
      httpHealthP99Ms: round(healthP99!),
    };
  } finally {
    await server.stop();
  }
}
