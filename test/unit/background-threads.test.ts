// yieldBackgroundThreadsOnOneCpu in a child process of its own (it changes the priority of the threads of
// the process that calls it), started under taskset: on one CPU every thread but the main one ends at
// nice 19; on two, none moves. Priorities are compared with this process's, so a suite run under `nice`
// still passes.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { getPriority } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
// the child prints what the call returned, then each thread's nice value (field 19 of /proc/…/stat)
const CHILD = `
import { readdirSync, readFileSync } from "node:fs";
import { yieldBackgroundThreadsOnOneCpu } from "./lib/server/background-threads.ts";
const lowered = yieldBackgroundThreadsOnOneCpu();
const nice = (tid) => Number(readFileSync(\`/proc/self/task/\${tid}/stat\`, "utf8").split(") ")[1].split(" ")[16]);
const threads = readdirSync("/proc/self/task").map((t) => ({ main: Number(t) === process.pid, nice: nice(t) }));
console.log(JSON.stringify({ lowered, threads }));
`;

interface Report {
  lowered: number;
  threads: { main: boolean; nice: number }[];
}

const hasTaskset = spawnSync("sh", ["-c", "command -v taskset"]).status === 0;

/** The CPUs this process may use (its cpuset and affinity), from /proc/self/status: "0-1" → [0, 1]. */
function allowedCpus(): number[] {
  const list = /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? "";
  return list.split(",").flatMap((part) => {
    const [a, b = a] = part.split("-").map(Number);
    return Array.from({ length: b! - a! + 1 }, (_, i) => a! + i);
  });
}

function runOn(cpus: number[]): Report {
  const out = spawnSync(
    "taskset",
    ["-c", cpus.join(","), process.execPath, "--import", "tsx", "--input-type=module", "-e", CHILD],
    { cwd: ROOT, encoding: "utf8" },
  );
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout.trim().split("\n").at(-1)!) as Report;
}

describe.runIf(process.platform === "linux" && hasTaskset)("background threads on one CPU", () => {
  const cpus = process.platform === "linux" ? allowedCpus() : [];
  const base = getPriority();

  it("pinned to one core: every thread but the main one goes to nice 19", () => {
    const report = runOn(cpus.slice(0, 1));
    const others = report.threads.filter((t) => !t.main);
    expect(others.length).toBeGreaterThan(0);
    expect(report.lowered).toBe(others.length);
    expect(others.every((t) => t.nice === 19)).toBe(true);
    expect(report.threads.find((t) => t.main)?.nice).toBe(base);
  });

  it.runIf(cpus.length > 1)("on two cores, nothing changes", () => {
    const report = runOn(cpus.slice(0, 2));
    expect(report.lowered).toBe(0);
    expect(report.threads.every((t) => t.nice === base)).toBe(true);
  });
});
