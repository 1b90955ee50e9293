// What the cluster scenario runs on: a fresh PostgreSQL and a redis-server (both from Debian, on loopback and
// free ports) and Chatterbox server processes over them, pinned to the server core, so that two processes
// get the CPU one process gets and the figures are the cost of coordination, not of extra cores.
import { execFileSync } from "node:child_process";
import { startPostgres, type TestPostgres } from "../../test/helpers/postgres";
import { freePort, LISTENING_PREFIX, pinningActive, pinProcess, spawnNode, spawnProgram } from "./procs";
import { benchEntryArgs, chatterboxEnv, GENERATOR_CORE, SERVER_CORE } from "./servers";

/**
 * PostgreSQL and redis-server stand for the services a cluster shares, which run on machines of their own:
 * here, the other core (the load generator's), in both runs, so that the server core holds only Chatterbox
 * processes — one, or two — and the ratio is what coordinating costs them.
 */
export const SERVICES_CORE = GENERATOR_CORE;

export interface BenchPostgres {
  /** a fresh, empty database: its URL */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

/** PostgreSQL's processes now: the postmaster and its children (backends fork from it later, pinned alike) */
function pinPostgres(port: number): void {
  if (!pinningActive()) return;
  // "--": the pattern starts with a dash, which pgrep would take for an option
  const pids = execFileSync("pgrep", ["-f", "--", `-p ${port}`], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean);
  for (const pid of pids) {
    for (const p of [pid, ...execFileSync("pgrep", ["-P", pid], { encoding: "utf8" }).split("\n")]) {
      if (p) pinProcess(Number(p), SERVICES_CORE);
    }
  }
}

export async function startBenchPostgres(): Promise<BenchPostgres> {
  const pg: TestPostgres = await startPostgres();
  try {
    pinPostgres(pg.port);
  } catch {
    // pgrep finds nothing to pin when pinning is off: the figures are then unpinned, as everything else
  }
  return { createDatabase: () => pg.createDatabase(), stop: () => pg.stop() };
}

export interface BenchRedis {
  url: string;
  stop(): Promise<void>;
}

export async function startBenchRedis(): Promise<BenchRedis> {
  const port = await freePort();
  const child = spawnProgram(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"],
    { core: SERVICES_CORE },
  );
  const url = `redis://127.0.0.1:${port}`;
  // ready once it answers PING over a plain TCP exchange
  const { Redis } = await import("ioredis");
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 50 });
  try {
    for (let i = 0; ; i++) {
      try {
        await client.connect();
        await client.ping();
        break;
      } catch (err) {
        if (i > 200 || child.exited) throw new Error(`redis-server did not start: ${String(err)}\n${child.output()}`);
        client.disconnect();
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  } finally {
    client.disconnect();
  }
  return { url, stop: () => child.stop() };
}

export interface ClusterServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** bench/server-entry.ts over PostgreSQL (and Redis, when given), pinned to the server core. */
export async function startPgServer(databaseUrl: string, redisUrl?: string): Promise<ClusterServer> {
  const env = {
    ...chatterboxEnv("unused"),
    DATABASE_URL: databaseUrl,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
  };
  const child = spawnNode(benchEntryArgs(), {
    core: SERVER_CORE,
    env,
  });
  try {
    const url = await child.waitForLine(LISTENING_PREFIX, 60_000);
    return { url, pid: child.pid, stop: () => child.stop() };
  } catch (err) {
    await child.stop();
    throw err;
  }
}
