// The server under test: createChatServer without Next — the services, socket.io + /ws and the real route
// table on a plain node:http server, so no build is needed (see docs/BENCHMARKS.md). Configured from the
// environment like server.ts (loadServerConfig); prints `LISTENING <url>` once it accepts connections.
// Bench-only route: GET /__bench/memory runs a full GC (when started with --expose-gc) and answers
// process.memoryUsage(). BENCH_GC_LOG=file: one line per GC (seconds since start, kind, pause) to lay
// beside a CPU profile.
// Like server.ts, it lowers its background threads on one CPU (lib/server/background-threads.ts);
// BENCH_NO_RENICE=1 leaves them alone here (server.ts, measured by coldStart and history, still lowers them).
// SIGTERM / SIGINT close it cleanly.
import { appendFileSync } from "node:fs";
import { PerformanceObserver, constants as perfConstants } from "node:perf_hooks";
import { ConfigError, loadServerConfig } from "@/lib/config";
import { API_ROUTES, type Route } from "@/lib/http/routes";
import { createLogger } from "@/lib/logger";
import { yieldBackgroundThreadsOnOneCpu } from "@/lib/server/background-threads";
import { createChatServer } from "@/lib/server/create-chat-server";
import { onSignals } from "@/lib/server/shutdown";
import { LISTENING_PREFIX } from "./lib/procs";

const GC_KINDS: Record<number, string> = {
  [perfConstants.NODE_PERFORMANCE_GC_MINOR]: "scavenge",
  [perfConstants.NODE_PERFORMANCE_GC_MAJOR]: "mark-compact",
  [perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental-marking",
  [perfConstants.NODE_PERFORMANCE_GC_WEAKCB]: "weak-callbacks",
};
const gcLog = process.env.BENCH_GC_LOG;
if (gcLog) {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? 0;
      appendFileSync(
        gcLog,
        `${(e.startTime / 1000).toFixed(4)} ${GC_KINDS[kind] ?? kind} ${e.duration.toFixed(2)}ms\n`,
      );
    }
  }).observe({ entryTypes: ["gc"] });
}

function memory(): Response {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  return new Response(JSON.stringify({ gc: Boolean(gc), ...process.memoryUsage() }), {
    headers: { "content-type": "application/json" },
  });
}

const BENCH_ROUTES: readonly Route[] = [{ method: "GET", pattern: "/__bench/memory", handler: memory }, ...API_ROUTES];

async function main(): Promise<void> {
  if (process.env.BENCH_NO_RENICE !== "1") yieldBackgroundThreadsOnOneCpu();
  const config = loadServerConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const server = await createChatServer({ config, logger, routes: BENCH_ROUTES });
  const url = await server.listen();
  process.stdout.write(`${LISTENING_PREFIX}${url}\n`);
  // the load generators' keep-alive connections are dropped, not waited for
  const close = () => {
    server.httpServer.closeAllConnections();
    return server.close();
  };
  onSignals(close, logger, { forceExitMs: 5000 });
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? "") : String(err)}\n`,
  );
  process.exit(1);
});
