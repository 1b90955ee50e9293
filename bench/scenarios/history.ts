// history: p99 of the last-50 page and of `before` pages (random cursors) in a room of many messages (seeded
// straight into SQLite), one request at a time, over both ways a client asks: the socket.io `messages:page`
// event (how the web UI and the terminal client page while connected: the target is measured there) and
// GET /api/messages (REST: API clients, and the clients' fallback while their socket is down), on the real
// server.ts when a build exists (the bench entry otherwise).
// Baselines in the same run: the same two queries on raw better-sqlite3 (same core); the wire's floor on the
// raw server (same core): a GET answering a page's bytes, and a ws frame of a socket.io page's bytes sent to
// its room and back; and GET /api/health alone.
import { once } from "node:events";
import WebSocket from "ws";
import { SioClient } from "../lib/clients";
import { request } from "../lib/http";
import type { Profile } from "../lib/profiles";
import { seedMessages, seedUsers } from "../lib/seed";
import { hasProductionBuild, runRawBaseline, startChatterbox, startRawWs, startRealServer } from "../lib/servers";
import { percentiles, round, Samples, sleep } from "../lib/stats";

interface RawHistory {
  lastP50Ms: number;
  lastP99Ms: number;
  beforeP50Ms: number;
  beforeP99Ms: number;
}

interface Timing {
  p50: number;
  p99: number;
}

/** p50 and p99 of `n` sequential runs of `once` */
async function timed(n: number, once: () => Promise<void>): Promise<Timing> {
  const samples = new Samples();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await once();
    samples.push(performance.now() - t0);
  }
  const [p50, p99] = percentiles(samples.values(), [50, 99]);
  return { p50: p50!, p99: p99! };
}

/** between the warm-up and the timing, for both servers alike */
const SETTLE_MS = 3000;

/** The four page timings (socket.io and REST, last page and `before` pages) and /api/health, on one server. */
async function timePages(url: string, token: string, room: string, cursor: () => number, queries: number) {
  const client = await SioClient.connect(url, token);
  try {
    const page = async (query: { before?: number }) => {
      const res = await client.request<{ ok: boolean; messages?: unknown[] }>("messages:page", {
        room,
        limit: 50,
        ...query,
      });
      if (!res.ok || res.messages?.length !== 50) throw new Error(`messages:page: ${JSON.stringify(res)}`);
    };
    const get = async (path: string) => {
      const res = await request(url + path, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.body}`);
    };
    const rest = `/api/messages?room=${room}&limit=50`;
    // the size of a page on each transport, for the raw baselines
    const restBytes = Buffer.byteLength(
      (await request(url + rest, { headers: { authorization: `Bearer ${token}` } })).body,
    );
    const sioBytes = Buffer.byteLength(JSON.stringify(await client.request("messages:page", { room, limit: 50 })));
    const kinds = {
      sioLast: () => page({}),
      sioBefore: () => page({ before: cursor() }),
      restLast: () => get(rest),
      restBefore: () => get(`${rest}&before=${cursor()}`),
      health: () => get("/api/health"),
    };
    // Every kind is warmed up first (Next loads a route's code on its first request), then the server is left
    // idle for a moment. Timed right after it became healthy, server.ts's heap was still growing, and its first
    // mark-compacts (20 ms pauses) landed among the socket.io samples.
    for (const once of Object.values(kinds)) for (let i = 0; i < Math.min(100, queries); i++) await once();
    await sleep(SETTLE_MS);
    return {
      restBytes,
      sioBytes,
      sioLast: await timed(queries, kinds.sioLast),
      sioBefore: await timed(queries, kinds.sioBefore),
      restLast: await timed(queries, kinds.restLast),
      restBefore: await timed(queries, kinds.restBefore),
      health: await timed(queries, kinds.health),
    };
  } finally {
    client.close();
  }
}
type PageTimings = Awaited<ReturnType<typeof timePages>>;

/** The wire's floor for pages of these sizes, on the raw server: GET `restBytes`, and `sioBytes` over ws and back. */
async function rawPages(restBytes: number, sioBytes: number, queries: number) {
  const raw = await startRawWs();
  const ws = new WebSocket(`${raw.url}/?room=history-echo`, { perMessageDeflate: false });
  try {
    await once(ws, "open");
    const frame = Buffer.alloc(sioBytes, "x");
    const kinds = {
      http: async () => {
        const res = await request(`${raw.url.replace(/^ws:/, "http:")}/__bench/page?bytes=${restBytes}`);
        if (res.status !== 200 || res.body.length < restBytes - 10) throw new Error(`raw page: ${res.status}`);
      },
      ws: () =>
        new Promise<void>((resolve, reject) => {
          const fail = () => reject(new Error("raw ws: no echo within 10 s, or closed"));
          const timer = setTimeout(fail, 10_000);
          ws.once("close", fail);
          ws.once("message", () => {
            clearTimeout(timer);
            ws.off("close", fail);
            resolve();
          });
          ws.send(frame, { binary: false });
        }),
    };
    for (const run of Object.values(kinds)) for (let i = 0; i < Math.min(100, queries); i++) await run();
    await sleep(SETTLE_MS);
    return { http: await timed(queries, kinds.http), ws: await timed(queries, kinds.ws) };
  } finally {
    ws.terminate();
    await raw.stop();
  }
}

const fmt = (t: PageTimings) =>
  `socket.io p99 last-50 ${t.sioLast.p99.toFixed(2)} / before ${t.sioBefore.p99.toFixed(2)} ms; ` +
  `REST ${t.restLast.p99.toFixed(2)} / ${t.restBefore.p99.toFixed(2)} ms; /api/health ${t.health.p99.toFixed(2)} ms`;

export async function historyScenario(profile: Profile, log: (s: string) => void) {
  const p = profile.history;
  const room = "history-big";
  const server = await startChatterbox();
  try {
    const [user] = seedUsers(server.databasePath, { prefix: "hist", count: 1 });
    const token = user!.token;
    const creator = await SioClient.connect(server.url, token);
    try {
      const ack = await creator.request<{ ok: boolean }>("room:create", { name: room });
      if (!ack.ok) throw new Error("room:create refused");
    } finally {
      creator.close();
    }
    const t = performance.now();
    const { firstId, lastId } = seedMessages(server.databasePath, { room, user: user!, rows: p.rows });
    log(`  seeded ${p.rows} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const cursor = () => firstId + 50 + Math.floor(Math.random() * Math.max(1, lastId - firstId - 50));

    // the measure is the real server.ts; the bench entry (the same factory without Next) stands in
    // when there is no build (tiny runs, or a tree never built)
    const real = p.throughNext && hasProductionBuild();
    let pages: PageTimings;
    if (real) {
      await server.child.stop(); // one server per database: the real one takes over the file
      const next = await startRealServer(server.databasePath);
      try {
        pages = await timePages(next.url, token, room, cursor, p.queries);
      } finally {
        await next.stop();
      }
    } else pages = await timePages(server.url, token, room, cursor, p.queries);
    const measured = real ? "server.ts" : "bench entry";
    log(`  ${measured}: ${fmt(pages)}`);
    const raw = await runRawBaseline<RawHistory>(["history", server.databasePath, room, String(p.queries)], 120_000);
    log(`  raw SQLite p99 ${raw.lastP99Ms.toFixed(3)} / ${raw.beforeP99Ms.toFixed(3)} ms`);
    const wire = await rawPages(pages.restBytes, pages.sioBytes, p.queries);
    log(
      `  raw server: GET of ${pages.restBytes} B p50 ${wire.http.p50.toFixed(2)} / p99 ${wire.http.p99.toFixed(2)} ms; ` +
        `ws frame of ${pages.sioBytes} B there and back p50 ${wire.ws.p50.toFixed(2)} / p99 ${wire.ws.p99.toFixed(2)} ms`,
    );

    const worst = (a: Timing, b: Timing) => round(Math.max(a.p99, b.p99));
    return {
      rows: p.rows,
      /** where the pages were timed: the real server.ts, or the bench entry when there is no build */
      server: measured,
      /** the target: the worse page kind over socket.io (the way the web UI and the terminal client page) */
      p99Ms: worst(pages.sioLast, pages.sioBefore),
      transport: "socket.io messages:page (REST in rest*)",
      /** REST's target: the worse REST page kind */
      restP99Ms: worst(pages.restLast, pages.restBefore),
      queries: p.queries,
      lastP50Ms: round(pages.sioLast.p50),
      lastP99Ms: round(pages.sioLast.p99),
      beforeP50Ms: round(pages.sioBefore.p50),
      beforeP99Ms: round(pages.sioBefore.p99),
      restLastP50Ms: round(pages.restLast.p50),
      restLastP99Ms: round(pages.restLast.p99),
      restBeforeP50Ms: round(pages.restBefore.p50),
      restBeforeP99Ms: round(pages.restBefore.p99),
      httpHealthP99Ms: round(pages.health.p99),
      /** the raw server's floor for a page of the same size: a GET (REST), a ws frame there and back (socket.io) */
      pageBytes: pages.restBytes,
      rawHttpPageP99Ms: round(wire.http.p99),
      rawWsPageP99Ms: round(wire.ws.p99),
      rawSqliteLastP99Ms: round(raw.lastP99Ms, 4),
      rawSqliteBeforeP99Ms: round(raw.beforeP99Ms, 4),
    };
  } finally {
    await server.stop();
  }
}
