// slow: back-pressure (issue 18) — the latency run's layout and rate, measured twice on one server: once as
// is, once with `stalled` extra sockets (one more member in each room, cycling) that stop reading their TCP
// socket. Both runs carry the same side traffic of 16 KB messages into a "sink" room; in the second the stalled
// sockets are its members, so once the kernel's buffers of each are full (about 4 MB of send buffer on
// loopback: they stop reading before their receive buffers grow) their backlog builds up to
// SLOW_CLIENT_MAX_BYTES and the server cuts them off while the others are measured. Result: the others' p99 with the stalled sockets over the p99 without them.
import type { Socket } from "node:net";
import type WebSocket from "ws";
import parse from "parse-prometheus-text-format";
import { LIMITS } from "../../lib/protocol";
import { mapLimit, SioClient } from "../lib/clients";
import { request } from "../lib/http";
import { quiesce, runLoad } from "../lib/load";
import type { Profile } from "../lib/profiles";
import { seedUsers } from "../lib/seed";
import { startChatterbox } from "../lib/servers";
import { round, sleep } from "../lib/stats";
import { chatterboxLayout, type Layout } from "../lib/topology";

type AckResult = { ok: boolean; error?: { detail: string } };
// 16 KB of UTF-8 per message (the limit counts characters), so that few sends fill a stalled socket's buffers
const SINK_CONTENT = "🙂".repeat(LIMITS.contentMax);

const SINK_BYTES = Buffer.byteLength(SINK_CONTENT);
// under MAX_SOCKETS_PER_USER (50), so none is closed for the account's newer ones
const STALLED_PER_ACCOUNT = 25;
// far more than a stalled socket's kernel buffers hold on loopback (up to 4 MiB of send buffer, tcp_wmem)
const PREFILL_MAX_BYTES = 32 * 1024 * 1024;
// sink messages between two looks at /metrics: 64 KB more per stalled socket, far under its cap
const PREFILL_STEP = 4;

const tcpOf = (c: SioClient): Socket => (c as unknown as { ws: WebSocket & { _socket: Socket } }).ws._socket;

/** the server's gauge of sockets whose kernel buffers are full (GET /metrics answers loopback) */
async function socketsWithBacklog(url: string): Promise<number> {
  const res = await request(`${url}/metrics`);
  if (res.status !== 200) throw new Error(`GET /metrics: ${res.status}`);
  const family = parse(res.body).find((f) => f.name === "chatterbox_sockets_with_backlog");
  return Number(family?.metrics[0]?.value ?? NaN);
}

/** 16 KB messages into `room` until `stalled` sockets have a backlog in the server; how many were sent */
async function fillKernelBuffers(url: string, sender: SioClient, room: string, stalled: number): Promise<number> {
  let sent = 0;
  while ((await socketsWithBacklog(url)) < stalled) {
    if (sent * SINK_BYTES > PREFILL_MAX_BYTES)
      throw new Error(`stalled sockets without a backlog after ${sent} messages`);
    await Promise.all(
      Array.from({ length: PREFILL_STEP }, () =>
        sender.request<AckResult>("message:send", { room, content: SINK_CONTENT }),
      ),
    );
    sent += PREFILL_STEP;
  }
  return sent;
}

/** 16 KB messages into `room` at `ratePerSec` (acked, at most 64 in flight) until stopped. */
function pump(sender: SioClient, room: string, ratePerSec: number) {
  let inFlight = 0;
  let sent = 0;
  const perTick = Math.max(1, Math.round(ratePerSec / 50));
  const timer = setInterval(() => {
    for (let i = 0; i < perTick && inFlight < 64; i++) {
      inFlight++;
      sent++;
      sender
        .request<AckResult>("message:send", { room, content: SINK_CONTENT })
        .catch(() => undefined)
        .finally(() => inFlight--);
    }
  }, 20);
  return {
    stop: () => {
      clearInterval(timer);
      return sent;
    },
  };
}

export async function slowScenario(profile: Profile, log: (s: string) => void) {
  const p = profile.slow;
  const layout: Layout = { rooms: p.rooms, membersPerRoom: Math.round(p.clients / p.rooms) };
  const server = await startChatterbox({ fresh: true });
  try {
    const built = await chatterboxLayout(server, layout, "slow");
    // the stalled sockets belong to a few accounts, as in issue 18's report (one account, many stalled tabs):
    // 100 distinct users cut off at once would also measure 100 presence changes sent to every socket
    const accounts = Math.ceil(p.stalled / STALLED_PER_ACCOUNT);
    const [pumper, ...owners] = seedUsers(server.databasePath, { prefix: "slowside", count: 1 + accounts });
    const stalledUsers = Array.from({ length: p.stalled }, (_, i) => owners[i % accounts]!);
    const sender = await SioClient.connect(server.url, pumper!.token);
    const stalled: SioClient[] = [];
    try {
      const load = { ratePerSec: p.ratePerSec, seconds: p.stepSeconds, drainMs: 2000, acks: true };
      const sinkWithout = "slow-sink-empty";
      const sink = "slow-sink";
      for (const name of [sinkWithout, sink]) {
        const ack = await sender.request<AckResult>("room:create", { name });
        if (!ack.ok) throw new Error(`room:create ${name}: ${ack.error?.detail ?? "?"}`);
      }
      await runLoad(built.rooms, { ...load, seconds: p.warmupSeconds, drainMs: 1000 });

      // without: the same side traffic, into a room with no other member
      await quiesce(built.clients);
      let side = pump(sender, sinkWithout, p.sinkRatePerSec);
      const without = await runLoad(built.rooms, load);
      side.stop();
      log(`  without stalled sockets: p99 ${without.p99Ms.toFixed(2)} ms (lost ${without.lost})`);

      // with: `stalled` sockets, each of its own user, in the sink and in one of the rooms; they stop reading
      stalled.push(
        ...(await mapLimit(stalledUsers, 16, async (u, i) => {
          const c = await SioClient.connect(server.url, u.token);
          for (const room of [sink, built.rooms[i % built.rooms.length]!.name]) {
            const ack = await c.request<AckResult>("room:join", { room });
            if (!ack.ok) throw new Error(`room:join ${room}: ${ack.error?.detail ?? "?"}`);
          }
          return c;
        })),
      );
      // no sleep before: a socket that has read little keeps a small receive buffer (Linux grows it as it reads)
      for (const c of stalled) tcpOf(c).pause();
      // Before measuring, their kernel buffers are filled: the bytes the kernel takes are what every member of
      // the room is sent, reading or not (the run without them does not pay for them either). Filled until the
      // server's /metrics shows every stalled socket with a backlog of its own, a few messages at a time so
      // that none reaches the cap yet. What is measured is the stall itself: the server queueing for sockets
      // that take nothing, then cutting them off.
      const prefill = await fillKernelBuffers(server.url, sender, sink, p.stalled);
      await quiesce(built.clients);
      const t = performance.now();
      side = pump(sender, sink, p.sinkRatePerSec);
      const withStalled = await runLoad(built.rooms, load);
      const sinkSent = side.stop();
      // they read again: whoever the server cut off sees its connection end
      for (const c of stalled) tcpOf(c).resume();
      await sleep(1500);
      const cutOff = stalled.filter((c) => !c.open).length;
      log(
        `  with ${p.stalled} stalled sockets: p99 ${withStalled.p99Ms.toFixed(2)} ms (lost ${withStalled.lost}); ` +
          `${cutOff}/${p.stalled} cut off (${sinkSent} sink messages in ${((performance.now() - t) / 1000).toFixed(1)} s)`,
      );
      return {
        clients: layout.rooms * layout.membersPerRoom,
        rooms: layout.rooms,
        stalled: p.stalled,
        ratePerSec: p.ratePerSec,
        sinkRatePerSec: p.sinkRatePerSec,
        p99Ms: round(withStalled.p99Ms),
        p50Ms: round(withStalled.p50Ms),
        baselineP99Ms: round(without.p99Ms),
        baselineP50Ms: round(without.p50Ms),
        p99Ratio: round(withStalled.p99Ms / without.p99Ms, 2),
        lost: withStalled.lost,
        baselineLost: without.lost,
        stalledCutOff: cutOff,
        prefillMessages: prefill,
        stepSeconds: p.stepSeconds,
      };
    } finally {
      built.close();
      sender.close();
      for (const c of stalled) c.close();
    }
  } finally {
    await server.stop();
  }
}
