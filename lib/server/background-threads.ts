// On one CPU, V8's background threads (concurrent marking and sweeping, parallel scavenges, compiling) take
// turns with the event loop on that core: during a major GC the event loop got a few milliseconds at a
// time and message delivery stalled for 30–60 ms (docs/BENCHMARKS.md, "Garbage collection on one core").
// Lowered to the weakest priority (nice 19), they run in the time the event loop leaves idle, and whenever
// the main thread waits for them it is not runnable, so they get the core. With more CPUs they have cores
// of their own and are left alone: there a starved helper could hold up the main thread waiting for it.
import { readdirSync } from "node:fs";
import { availableParallelism, setPriority } from "node:os";

const WEAKEST = 19;

/**
 * On one CPU (affinity included: taskset, cpusets), every thread of this process but the main one goes to
 * nice 19. Linux only (a per-thread nice); returns how many threads were lowered, 0 elsewhere.
 * Call it first thing: threads started later (worker threads, libuv's pool as it grows) keep their own.
 */
export function yieldBackgroundThreadsOnOneCpu(cpus: number = availableParallelism()): number {
  if (cpus > 1 || process.platform !== "linux") return 0;
  let lowered = 0;
  let tasks: string[];
  try {
    tasks = readdirSync("/proc/self/task");
  } catch {
    return 0;
  }
  for (const task of tasks) {
    const tid = Number(task);
    if (tid === process.pid) continue;
    try {
      setPriority(tid, WEAKEST);
      lowered++;
    } catch {
      // the thread has exited since the listing
    }
  }
  return lowered;
}
