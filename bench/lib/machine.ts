// What the numbers were measured on.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { hasTaskset, pinningActive, procStatFields, REPO_ROOT } from "./procs";

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (m?.[1]) return m[1].trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? "unknown";
}

function git(args: string[]): string | null {
  const r = spawnSync("git", args, { cwd: REPO_ROOT, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

export function machineInfo() {
  return {
    // os.cpus(), not availableParallelism(): the latter follows this process's own pinning
    nproc: os.cpus().length,
    cpuModel: cpuModel(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    totalMemMB: Math.round(os.totalmem() / 1048576),
    loadAvgAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
    taskset: hasTaskset(),
    pinned: pinningActive() ? "server and baselines on core 0, load generator on core 1" : "not pinned",
    gitCommit: git(["rev-parse", "--short", "HEAD"]),
    gitDirty: (git(["status", "--porcelain"]) ?? "") !== "",
  };
}

function readTicks(): { busy: number; ours: number } | undefined {
  try {
    const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …
    const busy = cpu[0]! + cpu[1]! + cpu[2]! + cpu[5]! + cpu[6]! + cpu[7]!;
    // utime stime cutime cstime (reaped children included)
    const f = procStatFields("self");
    const ours = f[11]! + f[12]! + f[13]! + f[14]!;
    return { busy, ours };
  } catch {
    return undefined;
  }
}

/**
 * Starts counting CPU used on the machine by anything other than the bench and its (exited) children; the
 * returned function gives the average number of cores those others kept busy. Linux only (else null).
 */
export function foreignCpu(): () => number | null {
  const t0 = readTicks();
  const start = performance.now();
  return () => {
    const t1 = readTicks();
    if (!t0 || !t1) return null;
    const ticksPerSec = 100; // USER_HZ on Linux
    const seconds = (performance.now() - start) / 1000;
    const foreign = (t1.busy - t0.busy - (t1.ours - t0.ours)) / ticksPerSec;
    return Math.max(0, Math.round((foreign / seconds) * 100) / 100);
  };
}
