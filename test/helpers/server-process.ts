// A real Chatterbox test server in a child process, for tests that crash it: `spawnServer` starts
// serve-entry.ts (startTestServer over the database in `dir`) with `node --import tsx`, resolves once it
// prints its URL, and `kill("SIGKILL")` is a real kill -9 (no close, no flush: whatever the OS has is what
// survives). Restart with `spawnServer({ dir })` on the same dir; the new process listens on a new port.
//
//   const dir = mkdtempSync(path.join(tmpdir(), "chatterbox-crash-"));
//   let server = await spawnServer({ dir });
//   …  server.url  …
//   await server.kill("SIGKILL");
//   server = await spawnServer({ dir });
//   …
//   finally: await server.kill(); rmSync(dir, { recursive: true, force: true });
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { testDatabaseUrl } from "./test-database";

/** The line serve-entry.ts prints (followed by the URL) once the server listens. */
export const LISTENING_PREFIX = "LISTENING ";
/** The line serve-entry.ts prints (followed by JSON) after a full GC, when asked (spawnServer's liveMemory). */
export const LIVE_MEMORY_PREFIX = "LIVE_MEMORY ";

/** What the server's heap and its buffers hold once every garbage object is collected. */
export interface LiveMemory {
  heapUsed: number;
  /** C++ memory tied to JS objects: Buffers and ArrayBuffers (queued socket writes among them) */
  external: number;
}

const ENTRY = fileURLToPath(new URL("./serve-entry.ts", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface ServerProcess {
  /** http://127.0.0.1:<port> */
  url: string;
  dir: string;
  /** absolute path of the SQLite file (what startTestServer opens in `dir`) */
  databasePath: string;
  /** DATABASE_URL: `file:` + databasePath, or (TEST_DATABASE=postgres) the database made for `dir` */
  databaseUrl: string;
  child: ChildProcess;
  /** stderr so far (the server logs nothing at LOG_LEVEL=silent; crashes show up here) */
  stderr(): string;
  /** stdout lines after the LISTENING one (the server's log, when `env` sets a LOG_LEVEL) */
  stdoutLines(): string[];
  /** whether the process has exited */
  readonly exited: boolean;
  /**
   * Live memory now: the server runs a full GC and reports what is left (spawnServer `liveMemory: true`).
   * RSS also holds garbage V8 has not collected yet, and how much depends on its heuristics and the load.
   */
  liveMemory(): Promise<LiveMemory>;
  /** kills the process (default SIGKILL) and resolves once it is gone; a no-op if it already exited */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** A fresh temp dir for a server's database. */
export function makeServerDir(prefix = "chatterbox-proc-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** `env`: server settings over startTestServer's (e.g. limits, LOG_LEVEL) */
export async function spawnServer(opts: {
  dir: string;
  startTimeoutMs?: number;
  env?: Record<string, string>;
  /** variables of the child process itself, read by Node at start (e.g. NODE_EXTRA_CA_CERTS) */
  processEnv?: Record<string, string>;
  /** starts Node with --expose-gc, so that `liveMemory()` can collect garbage on demand */
  liveMemory?: boolean;
}): Promise<ServerProcess> {
  const { dir, startTimeoutMs = 20_000 } = opts;
  const child = spawn(process.execPath, [...(opts.liveMemory ? ["--expose-gc"] : []), "--import", "tsx", ENTRY], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ...opts.processEnv,
      CHATTERBOX_TEST_DIR: dir,
      NODE_ENV: "test",
      ...(opts.env ? { CHATTERBOX_TEST_ENV: JSON.stringify(opts.env) } : {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let exited = false;
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr += chunk;
  });
  // never leave an orphan behind if the test process itself goes away
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const exit = new Promise<void>((resolve) => {
    child.once("exit", () => {
      exited = true;
      process.off("exit", killOnExit);
      resolve();
    });
  });

  const kill = async (signal: NodeJS.Signals = "SIGKILL"): Promise<void> => {
    if (exited) return;
    child.kill(signal);
    await exit;
  };

  let url: string;
  const stdoutLines: string[] = [];
  try {
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`server did not start within ${startTimeoutMs} ms\nstderr:\n${stderr}`)),
        startTimeoutMs,
      );
      const lines = readline.createInterface({ input: child.stdout });
      let listening = false;
      lines.on("line", (line) => {
        if (listening) return void stdoutLines.push(line);
        if (!line.startsWith(LISTENING_PREFIX)) return;
        listening = true;
        clearTimeout(timer);
        resolve(line.slice(LISTENING_PREFIX.length).trim());
      });
      void exit.then(() => {
        clearTimeout(timer);
        reject(new Error(`server exited before listening (code ${child.exitCode})\nstderr:\n${stderr}`));
      });
    });
  } catch (err) {
    await kill();
    throw err;
  }
  // the line reader keeps draining stdout (into stdoutLines), so the child never blocks on a full pipe

  return {
    url,
    dir,
    databasePath: path.join(dir, "test.db"),
    // the child made it (or found it) before listening
    databaseUrl: await testDatabaseUrl(dir),
    child,
    stderr: () => stderr,
    stdoutLines: () => stdoutLines,
    get exited() {
      return exited;
    },
    kill,
    liveMemory: () =>
      opts.liveMemory
        ? askLiveMemory(child, stdoutLines)
        : Promise.reject(new Error("liveMemory() needs spawnServer({ liveMemory: true }): SIGUSR2 would kill it")),
  };
}

/** SIGUSR2 asks serve-entry.ts for a LIVE_MEMORY line; resolves with the first one after the signal. */
async function askLiveMemory(child: ChildProcess, lines: string[]): Promise<LiveMemory> {
  const from = lines.length;
  child.kill("SIGUSR2");
  const deadline = Date.now() + 10_000;
  for (;;) {
    const line = lines.slice(from).find((l) => l.startsWith(LIVE_MEMORY_PREFIX));
    if (line) return JSON.parse(line.slice(LIVE_MEMORY_PREFIX.length)) as LiveMemory;
    if (Date.now() > deadline) throw new Error("no LIVE_MEMORY line within 10 s");
    await new Promise((r) => setTimeout(r, 20));
  }
}
