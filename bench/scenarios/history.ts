// history: p99 of the last-50 page and of `before` pages (random cursors) in a room of many messages (seeded
// straight into SQLite), one request at a time, over both ways a client asks: the socket.io `messages:page`
// event (what the web UI uses while connected) and GET /api/messages (REST: API clients, the terminal client,
// the web UI while its socket is down). Baselines in the same run: the same two queries on raw better-sqlite3
// (same core), and GET /api/health alone (the HTTP floor).
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

interface Page {
  ok: boolean;
  messages?: unknown[];
}

/** p50 and p99 of `n` sequential runs of `once` (after a warm-up of min(100, n)) */
async function timed(n: number, once: () => Promise<void>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < Math.min(100, n); i++) await once();
  const samples = new Samples();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await once();
    samples.push(performance.now() - t0);
  }
  const [p50, p99] = percentiles(samples.values(), [50, 99]);
  return { p50: p50!, p99: p99! };
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
      const t = performance.now();
      const { firstId, lastId } = seedMessages(server.databasePath, { room, user: user!, rows: p.rows });
      log(`  seeded ${p.rows} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      const cursor = () => firstId + 50 + Math.floor(Math.random() * Math.max(1, lastId - firstId - 50));

      const page = async (query: { before?: number }) => {
        const res = await client.request<Page>("messages:page", { room, limit: 50, ...query });
        if (!res.ok || res.messages?.length !== 50) throw new Error(`messages:page: ${JSON.stringify(res)}`);
      };
      const headers = { authorization: `Bearer ${user!.token}` };
      const get = async (url: string) => {
        const res = await request(url, { headers });
        if (res.status !== 200) throw new Error(`${url}: ${res.status} ${res.body}`);
      };
      const base = `${server.url}/api/messages?room=${room}&limit=50`;

      const sioLast = await timed(p.queries, () => page({}));
      const sioBefore = await timed(p.queries, () => page({ before: cursor() }));
      const restLast = await timed(p.queries, () => get(base));
      const restBefore = await timed(p.queries, () => get(`${base}&before=${cursor()}`));
      const health = await timed(p.queries, () => get(`${server.url}/api/health`));
      const raw = await runRawBaseline<RawHistory>(["history", server.databasePath, room, String(p.queries)], 120_000);
      log(
        `  socket.io p99 last-50 ${sioLast.p99.toFixed(2)} / before ${sioBefore.p99.toFixed(2)} ms; ` +
          `REST ${restLast.p99.toFixed(2)} / ${restBefore.p99.toFixed(2)} ms (health ${health.p99.toFixed(2)}); ` +
          `raw ${raw.lastP99Ms.toFixed(3)} / ${raw.beforeP99Ms.toFixed(3)} ms`,
      );
      return {
        rows: p.rows,
        /** the worst of the four: both page kinds over both transports */
        p99Ms: round(Math.max(sioLast.p99, sioBefore.p99, restLast.p99, restBefore.p99)),
        queries: p.queries,
        lastP50Ms: round(sioLast.p50),
        lastP99Ms: round(sioLast.p99),
        beforeP50Ms: round(sioBefore.p50),
        beforeP99Ms: round(sioBefore.p99),
        restLastP50Ms: round(restLast.p50),
        restLastP99Ms: round(restLast.p99),
        restBeforeP50Ms: round(restBefore.p50),
        restBeforeP99Ms: round(restBefore.p99),
        rawSqliteLastP99Ms: round(raw.lastP99Ms, 4),
        rawSqliteBeforeP99Ms: round(raw.beforeP99Ms, 4),
        httpHealthP99Ms: round(health.p99),
      };
    } finally {
      client.close();
    }
  } finally {
    await server.stop();
  }
}
