// Child processes of the bench: every one is spawned through here, pinned to a core when taskset exists,
// registered, and killed when the harness exits (normally, on an error, or on SIGINT / SIGTERM).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BENCH_DIR = fileURLToPath(new URL("../", import.meta.url));

/** What the bench's child servers print (followed by their URL) once they accept connections. */
export const LISTENING_PREFIX = "LISTENING ";

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

let tasksetChecked: boolean | undefined;
/** whether `taskset` is on the PATH */
export function hasTaskset(): boolean {
  tasksetChecked ??= spawnSync("sh", ["-c", "command -v taskset"], { stdio: "ignore" }).status === 0;
  return tasksetChecked;
}

let pinning = true;
/** Tiny runs (the smoke test) share the machine with other tests: they do not pin anything. */
export function setPinning(on: boolean): void {
  pinning = on;
}
export const pinningActive = (): boolean => pinning && hasTaskset();

/** Pins every thread of this process (the load generator) to `core`; false when not possible. */
export function pinSelf(core: number): boolean {
  return pinProcess(process.pid, core);
}

/** Pins every thread of process `pid` to `core` (its children forked later inherit it); false when not possible. */
export function pinProcess(pid: number, core: number): boolean {
  if (!pinningActive()) return false;
  return spawnSync("taskset", ["-a", "-cp", String(core), String(pid)], { stdio: "ignore" }).status === 0;
}

export function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  children.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

let handlersInstalled = false;
/** Kill children on exit and on SIGINT / SIGTERM (then exit 130 / 143). */
export function installCleanup(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("exit", killAll);
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    process.on(signal, () => {
      process.stderr.write(`\n${signal}: stopping the bench and its child processes\n`);
      killAll();
      process.exit(code);
    });
  }
}

export function makeTempDir(prefix = "chatterbox-bench-"): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Child {
  proc: ChildProcess;
  pid: number;
  /** stdout + stderr so far (last 64 KB) */
  output(): string;
  readonly exited: boolean;
  /** resolves with the first stdout line starting with `prefix` (rest of the line) */
  waitForLine(prefix: string, timeoutMs: number): Promise<string>;
  /** writes a line to the child's stdin (spawned with `stdin: true`) */
  send(line: string): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  /** core to pin to with taskset (when pinning is active) */
  core?: number;
  env?: Record<string, string>;
  cwd?: string;
  /** a pipe to the child's stdin (else ignored) */
  stdin?: boolean;
  /** raise the child's open-file limit to this (a shell's `ulimit -n`, then exec: the pid stays the program's) */
  nofile?: number;
}

let hardLimit: number | undefined;
/** The open-file limit a child may be raised to here (`ulimit -Hn`): C100K is capped by it. */
export function openFileHardLimit(): number {
  if (hardLimit === undefined) {
    const out = spawnSync("sh", ["-c", "ulimit -Hn"], { encoding: "utf8" }).stdout.trim();
    hardLimit = out === "unlimited" ? 1_048_576 : Number(out) || 1024;
  }
  return hardLimit;
}

/** Spawns `node <args>` (pinned with `taskset -c core` when possible; taskset execs, so the pid is node's). */
export function spawnNode(args: string[], opts: SpawnOptions = {}): Child {
  return spawnProgram(process.execPath, args, opts);
}

/** Spawns `file <args>`, pinned like spawnNode (redis-server, for the cluster scenario). */
export function spawnProgram(file: string, args: string[], opts: SpawnOptions = {}): Child {
  const pin = opts.core !== undefined && pinningActive();
  let cmd = pin ? "taskset" : file;
  let argv = pin ? ["-c", String(opts.core), file, ...args] : args;
  if (opts.nofile !== undefined) {
    argv = ["-c", `ulimit -n ${opts.nofile} && exec "$@"`, "sh", cmd, ...argv];
    cmd = "sh";
  }
  const proc = spawn(cmd, argv, {
    cwd: opts.cwd ?? REPO_ROOT,
    env: { ...process.env, ...opts.env },
    stdio: [opts.stdin ? "pipe" : "ignore", "pipe", "pipe"],
  });
  children.add(proc);
  let out = "";
  let exited = false;
  const append = (chunk: Buffer) => {
    // BENCH_CHILD_LOG=path: every child's output also goes to path.<pid> (e.g. a server's --trace-gc-nvp)
    if (process.env.BENCH_CHILD_LOG) appendFileSync(`${process.env.BENCH_CHILD_LOG}.${proc.pid}`, chunk);
    out = (out + chunk.toString("utf8")).slice(-65_536);
  };
  proc.stderr?.on("data", append);
  const lines = readline.createInterface({ input: proc.stdout! });
  const lineWaiters: { prefix: string; resolve: (rest: string) => void }[] = [];
  lines.on("line", (line) => {
    append(Buffer.from(`${line}\n`));
    for (const w of [...lineWaiters]) {
      if (line.startsWith(w.prefix)) {
        lineWaiters.splice(lineWaiters.indexOf(w), 1);
        w.resolve(line.slice(w.prefix.length).trim());
      }
    }
  });
  const exit = new Promise<void>((resolve) => {
    proc.once("exit", () => {
      exited = true;
      children.delete(proc);
      resolve();
    });
  });
  return {
    proc,
    pid: proc.pid ?? -1,
    output: () => out,
    get exited() {
      return exited;
    },
    waitForLine(prefix, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`no "${prefix}" line within ${timeoutMs} ms; output:\n${out}`));
        }, timeoutMs);
        lineWaiters.push({
          prefix,
          resolve: (rest) => {
            clearTimeout(timer);
            resolve(rest);
          },
        });
        void exit.then(() => {
          clearTimeout(timer);
          reject(new Error(`process exited (code ${proc.exitCode}) before "${prefix}"; output:\n${out}`));
        });
      });
    },
    send(line) {
      if (!proc.stdin) throw new Error("spawned without stdin");
      proc.stdin.write(`${line}\n`);
    },
    async stop(graceMs = 3000) {
      if (exited) return;
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Resident set size of a process from /proc (bytes), or undefined when unreadable. */
export function rssOf(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The numeric fields of `/proc/<pid>/stat` after the command name "(…)", so that [11] and [12] are utime and
 * stime, [13] and [14] cutime and cstime (reaped children), in USER_HZ ticks: 100 on every Linux build the
 * bench runs on. Throws when unreadable.
 */
export function procStatFields(pid: number | "self"): number[] {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat
    .slice(stat.lastIndexOf(")") + 2)
    .split(" ")
    .map(Number);
}

/** CPU seconds a process has used so far (user + system), or undefined when unreadable. */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    const f = procStatFields(pid);
    return (f[11]! + f[12]!) / 100;
  } catch {
    return undefined;
  }
}

/** Starts counting `pid`'s CPU; the returned function gives the cores it kept busy since (null when unreadable). */
export function cpuOf(pid: number): () => number | null {
  const c0 = cpuSecondsOf(pid);
  const t0 = performance.now();
  return () => {
    const c1 = cpuSecondsOf(pid);
    if (c0 === undefined || c1 === undefined) return null;
    return Math.round(((c1 - c0) / ((performance.now() - t0) / 1000)) * 100) / 100;
  };
}
