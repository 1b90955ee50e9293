// On one CPU, V8's background threads (concurrent marking and sweeping, parallel scavenges, compiling) take
// turns with the event loop on that core: during a major GC the event loop got a few milliseconds at a
// time and message delivery stalled for 30–60 ms (docs/BENCHMARKS.md, "Garbage collection on one core").
// Lowered to the weakest priority (nice 19), they run in the time the event loop leaves idle; when the main
// thread waits for them it is not runnable, and they share the core only with other nice-19 work (bcrypt,
// checkpoints). Which threads are V8's cannot be told apart in Node 20, so everything but the main thread
// at that moment goes: libuv's pool too (an ES module entry starts it while loading), whose file, DNS and
// zlib work then waits while the event loop is saturated. With more CPUs nothing changes: there a starved
// helper could hold up a main thread waiting for it.
import { readdirSync } from "node:fs";
import { availableParallelism, setPriority } from "node:os";

const WEAKEST = 19;

/**
 * On one CPU (affinity included: taskset, cpusets), every thread of this process but the main one goes to
 * nice 19. Linux only (a per-thread nice); returns how many threads were lowered, 0 elsewhere.
 * Call it first thing: threads started later (worker threads) keep the main thread's priority, or set
 * their own (lib/services/password-worker.mjs, lib/db/checkpoint-worker.mjs).
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
