// Starting the processes under test: the Chatterbox server (bench/server-entry.ts), the raw ws broadcast
// server and the raw SQLite / bcrypt baselines — each pinned to the server core, each over a fresh temp DB.
import { existsSync } from "node:fs";
import path from "node:path";
import { sleep } from "./stats";
import {
  freePort,
  LISTENING_PREFIX,
  makeTempDir,
  REPO_ROOT,
  removeTempDir,
  rssOf,
  spawnNode,
  type Child,
} from "./procs";

export const SERVER_CORE = 0;
export const GENERATOR_CORE = 1;

/** Effectively no throttling: the bench is one address sending far more than a person would. */
export const UNTHROTTLED = "1000000000";

export function chatterboxEnv(databasePath: string, port = 0): Record<string, string> {
  return {
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    DATABASE_URL: `file:${databasePath}`,
    BCRYPT_COST: "10",
    LOG_LEVEL: "error",
    THROTTLE_LOGINS: UNTHROTTLED,
    THROTTLE_REGISTRATIONS: UNTHROTTLED,
    THROTTLE_MESSAGES: UNTHROTTLED,
    THROTTLE_CONNECTIONS: UNTHROTTLED,
    // the idle scenario holds 10,000 sockets of 10 users (and the generators' HTTP connections besides)
    MAX_SOCKETS_PER_USER: UNTHROTTLED,
    MAX_CONNECTIONS: "100000",
    NEXT_TELEMETRY_DISABLED: "1",
  };
}

export const SERVER_ENTRY_ARGS = ["--expose-gc", "--import", "tsx", "bench/server-entry.ts"];

/** BENCH_SERVER_FLAGS: node flags for every Chatterbox server, for experiments (e.g. "--trace-gc-nvp" with BENCH_CHILD_LOG) */
export const chatterboxNodeFlags = (): string[] => process.env.BENCH_SERVER_FLAGS?.split(" ").filter(Boolean) ?? [];

export interface RunningServer {
  url: string;
  pid: number;
  dir: string;
  databasePath: string;
  child: Child;
  /** full GC in the server, then its RSS (from /proc when readable) and heap */
  memory(): Promise<{ rss: number; heapUsed: number; gc: boolean }>;
  stop(): Promise<void>;
}

async function memoryOf(url: string, pid: number): Promise<{ rss: number; heapUsed: number; gc: boolean }> {
  const res = await fetch(`${url.replace(/^ws/, "http")}/__bench/memory`, { signal: AbortSignal.timeout(30_000) });
  const m = (await res.json()) as { rss: number; heapUsed: number; gc?: boolean };
  return { rss: rssOf(pid) ?? m.rss, heapUsed: m.heapUsed, gc: m.gc ?? false };
}

// Tiny runs (the smoke test) share one server of each kind across scenarios: starting a server costs more
// than a tiny scenario. Scenarios never collide (their users and rooms have their own prefixes).
let sharing = false;
let sharedChatterbox: Promise<RunningServer> | undefined;
let sharedRawWs: Promise<Omit<RunningServer, "databasePath">> | undefined;

export function setSharedServers(on: boolean): void {
  sharing = on;
}

/** Stops the shared servers (end of run, or after a failed scenario). */
export async function stopSharedServers(): Promise<void> {
  const all = [sharedChatterbox, sharedRawWs];
  sharedChatterbox = undefined;
  sharedRawWs = undefined;
  for (const s of all) await (await s?.catch(() => undefined))?.stop();
}

/**
 * `fresh`: a server of its own even in a tiny run (a memory measurement must not inherit others' heap);
 * `nofile`: its open-file limit (C100K).
 */
export async function startChatterbox(opts: { fresh?: boolean; nofile?: number } = {}): Promise<RunningServer> {
  if (!sharing || opts.fresh || opts.nofile) return launchChatterbox(opts.nofile);
  sharedChatterbox ??= launchChatterbox();
  return { ...(await sharedChatterbox), stop: () => Promise.resolve() };
}

/** `durable`: a server of its own that commits every frame to SQLite before forwarding it (see raw-ws-server.ts) */
export async function startRawWs(
  opts: { fresh?: boolean; nofile?: number; durable?: boolean } = {},
): Promise<Omit<RunningServer, "databasePath">> {
  if (opts.durable) return launchRawWs(opts.nofile, true);
  if (!sharing || opts.fresh || opts.nofile) return launchRawWs(opts.nofile);
  sharedRawWs ??= launchRawWs();
  return { ...(await sharedRawWs), stop: () => Promise.resolve() };
}

// --cpu-prof: every Chatterbox server of a scenario writes V8 CPU profiles (on its clean exit) into <dir>/<scenario>
let profileDir: string | undefined;
let profileLabel = "server";
export function setServerProfiling(dir: string | undefined): void {
  profileDir = dir;
}
export function setProfileLabel(label: string): void {
  profileLabel = label;
}

/** node's flags for a Chatterbox server under --cpu-prof (none otherwise): one file per thread, tsx's loader has one */
export const profilingArgs = (label = profileLabel): string[] =>
  profileDir ? ["--cpu-prof", "--cpu-prof-dir", path.join(profileDir, label)] : [];

/** node's arguments for a bench entry server: the experiment's flags, the profiler's, then the entry */
export const benchEntryArgs = (): string[] => [...chatterboxNodeFlags(), ...profilingArgs(), ...SERVER_ENTRY_ARGS];

async function launchChatterbox(nofile?: number): Promise<RunningServer> {
  const dir = makeTempDir();
  const databasePath = path.join(dir, "bench.db");
  const child = spawnNode(benchEntryArgs(), {
    core: SERVER_CORE,
    env: chatterboxEnv(databasePath),
    ...(nofile ? { nofile } : {}),
  });
  let url: string;
  try {
    url = await child.waitForLine(LISTENING_PREFIX, 60_000);
  } catch (err) {
    await child.stop();
    removeTempDir(dir);
    throw err;
  }
  return {
    url,
    pid: child.pid,
    dir,
    databasePath,
    child,
    memory: () => memoryOf(url, child.pid),
    async stop() {
      await child.stop();
      removeTempDir(dir);
    },
  };
}

async function launchRawWs(nofile?: number, durable = false): Promise<Omit<RunningServer, "databasePath">> {
  const dir = durable ? makeTempDir() : "";
  const child = spawnNode(["--expose-gc", "--import", "tsx", "bench/raw-ws-server.ts"], {
    core: SERVER_CORE,
    ...(nofile ? { nofile } : {}),
    ...(durable ? { env: { RAW_DURABLE_DB: path.join(dir, "raw.db") } } : {}),
  });
  const stop = async () => {
    await child.stop();
    if (dir) removeTempDir(dir);
  };
  const url = await child.waitForLine(LISTENING_PREFIX, 60_000).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  return { url, pid: child.pid, dir, child, memory: () => memoryOf(url, child.pid), stop };
}

/** Runs bench/raw-sqlite.ts in `mode` on the server core; its RESULT. */
export async function runRawBaseline<T>(args: string[], timeoutMs: number): Promise<T> {
  const child = spawnNode(["--import", "tsx", "bench/raw-sqlite.ts", ...args], { core: SERVER_CORE });
  try {
    return JSON.parse(await child.waitForLine("RESULT ", timeoutMs)) as T;
  } finally {
    await child.stop();
  }
}

export interface RawInserter {
  /** single-row commits for `seconds` on the server core */
  run(seconds: number): Promise<{ inserts: number; seconds: number; perSec: number }>;
  stop(): Promise<void>;
}

/** A long-lived raw better-sqlite3 inserter (bench/raw-sqlite.ts insert-serve), for rounds interleaved with the server's. */
export async function startRawInserter(databasePath: string): Promise<RawInserter> {
  const child = spawnNode(["--import", "tsx", "bench/raw-sqlite.ts", "insert-serve", databasePath], {
    core: SERVER_CORE,
    stdin: true,
  });
  try {
    await child.waitForLine("READY", 60_000);
  } catch (err) {
    await child.stop();
    throw err;
  }
  return {
    async run(seconds) {
      const line = child.waitForLine("RESULT ", seconds * 1000 + 60_000);
      child.send(`run ${seconds}`);
      return JSON.parse(await line) as { inserts: number; seconds: number; perSec: number };
    },
    stop: () => child.stop(),
  };
}

/** What `npm start` runs after its build check: the compiled server.ts (scripts/build-server.ts). */
export const REAL_SERVER_ARGS = ["dist/server.js"];

/** Whether `npm start`'s builds exist (Next's in .next, the compiled server in dist): it can start as is. */
export const hasProductionBuild = (): boolean =>
  existsSync(path.join(REPO_ROOT, ".next", "BUILD_ID")) && existsSync(path.join(REPO_ROOT, REAL_SERVER_ARGS[0]!));

/**
 * The real production server (dist/server.js: Next + socket.io + /ws, NODE_ENV=production) over an existing
 * database and an existing build, pinned like the bench entry; resolves once GET /api/health answers 200.
 */
export async function startRealServer(databasePath: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawnNode([...chatterboxNodeFlags(), ...REAL_SERVER_ARGS], {
    core: SERVER_CORE,
    env: chatterboxEnv(databasePath, port),
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = performance.now() + 60_000;
  for (let i = 0; i < 100_000 && performance.now() < deadline; i++) {
    if (child.exited) throw new Error(`server.ts exited before healthy:\n${child.output()}`);
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return { url, stop: () => child.stop() };
    } catch {
      // not listening yet
    }
    await sleep(20);
  }
  await child.stop();
  throw new Error(`server.ts not healthy within 60 s:\n${child.output()}`);
}
