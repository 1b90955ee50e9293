// c100k (issue 17): many idle authenticated socket.io connections on one server process — held by helper
// processes (bench/idle-holder.ts), each from its own loopback source address with its open-file limit
// raised — then durable messages in rooms of other, active clients: the server's RSS, the messages' p99, and
// whether every idle connection is still open. The same on the raw ws server. The count is capped by the
// open-file limit this machine allows a process (`ulimit -Hn`): the JSON says when it was.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runLoad, type LoadResult } from "../lib/load";
import { makeTempDir, openFileHardLimit, removeTempDir, spawnNode, type Child } from "../lib/procs";
import type { Profile } from "../lib/profiles";
import { seedUsers } from "../lib/seed";
import { GENERATOR_CORE, startChatterbox, startRawWs, type RunningServer } from "../lib/servers";
import { round } from "../lib/stats";
import { chatterboxLayout, rawLayout, type Built } from "../lib/topology";

type Target = Pick<RunningServer, "url" | "memory">;

interface Holders {
  open(): Promise<number>;
  stop(): Promise<void>;
}

// Each pass (and each run: by the process id) its own block of source addresses 127.0.<block>.x: closed
// connections hold their address and port in TIME_WAIT for a minute, and binding one again fails.
const firstBlock = 1 + (process.pid % 126) * 2;
const ADDRESS_BLOCK = { sio: firstBlock, raw: firstBlock + 1 } as const;

/** `connections` idle sockets spread over holder processes of at most `perHolder` each, one source address each */
async function hold(kind: "sio" | "raw", url: string, connections: number, perHolder: number, extra: string) {
  const children: Child[] = [];
  const stop = () => Promise.all(children.map((c) => c.stop())).then(() => undefined);
  try {
    for (let i = 0, left = connections; left > 0; i++, left -= perHolder) {
      const n = Math.min(perHolder, left);
      const args = [
        "--import",
        "tsx",
        "bench/idle-holder.ts",
        kind,
        url,
        `127.0.${ADDRESS_BLOCK[kind]}.${i + 2}`,
        String(n),
        extra,
      ];
      children.push(spawnNode(args, { core: GENERATOR_CORE, stdin: true, nofile: n + 500 }));
    }
    const ready = await Promise.all(children.map((c) => c.waitForLine("READY ", 600_000)));
    const opened = ready.reduce((sum, line) => sum + Number(line), 0);
    if (opened !== connections) throw new Error(`holders opened ${opened} of ${connections} connections`);
  } catch (err) {
    await stop();
    throw err;
  }
  const holders: Holders = {
    async open() {
      const counts = children.map((c) => c.waitForLine("OPEN ", 60_000));
      for (const c of children) c.send("count");
      return (await Promise.all(counts)).reduce((sum, line) => sum + Number(line), 0);
    },
    stop,
  };
  return holders;
}

/** untimed messages before the timed step: every room's first message, after the forced GC */
const WARMUP_SECONDS = 1;

/** with the idle sockets held: RSS after a GC, the active clients' message p99, and how many stayed open */
async function measure(server: Target, holders: Holders, active: Built, p: Profile["c100k"]) {
  try {
    const before = await server.memory();
    // The reading's forced full GC (300-400 ms at this size) leaves a backlog behind it (heartbeats due in
    // the pause, lazy sweeping), and the 100 rooms' first messages take their cold paths: unwarmed, the first
    // 0.1 s of the step held 40-50 of its 5,000 deliveries at 11-42 ms, 1 % of them, which is its p99.
    const seconds = Math.min(WARMUP_SECONDS, p.stepSeconds);
    const warmup = await runLoad(active.rooms, { ratePerSec: p.ratePerSec, seconds, drainMs: 1000, acks: true });
    const load: LoadResult = await runLoad(active.rooms, {
      ratePerSec: p.ratePerSec,
      seconds: p.stepSeconds,
      drainMs: 3000,
      acks: true,
    });
    const after = await server.memory();
    const warmupLost = warmup.lost + warmup.ackFailures;
    return { rss: Math.max(before.rss, after.rss), load, warmupLost, stillOpen: await holders.open() };
  } finally {
    active.close();
    await holders.stop();
  }
}

export async function c100kScenario(profile: Profile, log: (s: string) => void) {
  const p = profile.c100k;
  const hardLimit = openFileHardLimit();
  const activeClients = p.rooms * p.membersPerRoom;
  // the server holds every idle and active socket, plus its own files and the generators' HTTP connections
  const reserve = Math.min(2000, Math.floor(hardLimit / 4));
  const connections = Math.min(p.connections, hardLimit - activeClients - reserve);
  const perHolder = Math.min(p.perHolder, hardLimit - 500);
  if (connections < p.connections) {
    log(`  capped at ${connections} idle connections: a process may open ${hardLimit} files here (ulimit -Hn)`);
  }
  const layout = { rooms: p.rooms, membersPerRoom: p.membersPerRoom };

  const server = await startChatterbox({ nofile: hardLimit });
  let ours: Awaited<ReturnType<typeof measure>>;
  const dir = makeTempDir();
  try {
    const users = seedUsers(server.databasePath, { prefix: "c100k", count: p.users });
    mkdirSync(dir, { recursive: true });
    const tokens = path.join(dir, "tokens.json");
    writeFileSync(tokens, JSON.stringify(users.map((u) => u.token)));
    const t = performance.now();
    const holders = await hold("sio", server.url, connections, perHolder, tokens);
    log(`  chatterbox: ${connections} idle socket.io connections in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const active = await chatterboxLayout(server, layout, "c100k-active").catch(async (err: unknown) => {
      await holders.stop();
      throw err;
    });
    ours = await measure(server, holders, active, p);
  } finally {
    await server.stop();
    removeTempDir(dir);
  }
  log(
    `  chatterbox: RSS ${(ours.rss / 1048576).toFixed(0)} MB, p99 ${ours.load.p99Ms.toFixed(2)} ms, ${ours.stillOpen} still open`,
  );

  const raw = await startRawWs({ nofile: hardLimit });
  let theirs: Awaited<ReturnType<typeof measure>>;
  try {
    const holders = await hold("raw", raw.url, connections, perHolder, "idle");
    const active = await rawLayout(raw.url, layout, "c100k-active").catch(async (err: unknown) => {
      await holders.stop();
      throw err;
    });
    theirs = await measure(raw, holders, active, p);
  } finally {
    await raw.stop();
  }
  log(`  raw ws: RSS ${(theirs.rss / 1048576).toFixed(0)} MB, p99 ${theirs.load.p99Ms.toFixed(2)} ms`);

  return {
    connections,
    requestedConnections: p.connections,
    fdHardLimit: hardLimit,
    activeClients,
    ratePerSec: p.ratePerSec,
    warmupSeconds: Math.min(WARMUP_SECONDS, p.stepSeconds),
    /** deliveries the warm-up lost and acks it was refused: not timed, but not to go unnoticed either */
    warmupLost: ours.warmupLost,
    rawWsWarmupLost: theirs.warmupLost,
    rssBytes: ours.rss,
    rssPerConnection: Math.round(ours.rss / connections),
    p50Ms: round(ours.load.p50Ms),
    p99Ms: round(ours.load.p99Ms),
    lost: ours.load.lost,
    stillOpen: ours.stillOpen,
    allOpen: ours.stillOpen === connections ? 1 : 0,
    rawWsRssBytes: theirs.rss,
    rawWsP99Ms: round(theirs.load.p99Ms),
    rawWsStillOpen: theirs.stillOpen,
    ...(connections < p.connections
      ? { notes: [`capped at ${connections} connections by the open-file limit (ulimit -Hn ${hardLimit})`] }
      : {}),
  };
}
