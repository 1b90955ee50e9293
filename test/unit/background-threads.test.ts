// yieldBackgroundThreadsOnOneCpu in a child process of its own (it changes the priority of the threads of
// the process that calls it): pinned to one CPU, every thread but the main one ends at nice 19.
import { spawnSync } from "node:child_process";
import { cpus } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { yieldBackgroundThreadsOnOneCpu } from "@/lib/server/background-threads";

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

function run(taskset: string[]): Report {
  const cmd = taskset.length > 0 ? "taskset" : process.execPath;
  const args = [
    ...taskset,
    ...(taskset.length > 0 ? [process.execPath] : []),
    "--import",
    "tsx",
    "--input-type=module",
  ];
  const out = spawnSync(cmd, [...args, "-e", CHILD], { cwd: ROOT, encoding: "utf8" });
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout.trim().split("\n").at(-1)!) as Report;
}

describe.runIf(process.platform === "linux")("background threads on one CPU", () => {
  it("pinned to one core: every thread but the main one goes to nice 19", () => {
    const report = run(["-c", "0"]);
    const others = report.threads.filter((t) => !t.main);
    expect(report.lowered).toBe(others.length);
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((t) => t.nice === 19)).toBe(true);
    expect(report.threads.find((t) => t.main)?.nice).toBe(0);
  });

  it.runIf(cpus().length > 1)("with more than one CPU, nothing changes", () => {
    expect(yieldBackgroundThreadsOnOneCpu(2)).toBe(0);
    const report = run(["-c", "0,1"]);
    expect(report.lowered).toBe(0);
    expect(report.threads.every((t) => t.nice === 0)).toBe(true);
  });
});
