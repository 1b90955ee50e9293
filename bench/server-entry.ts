// The server under test: Chatterbox's services, socket.io + /ws (createRealtime) and the real route handlers
// on a plain node:http server — server.ts without Next, so no build is needed (see docs/BENCHMARKS.md).
// Configured from the environment like server.ts (loadServerConfig); prints `LISTENING <url>` once it
// accepts connections. Bench-only endpoint: GET /__bench/memory runs a full GC (when started with
// --expose-gc) and answers process.memoryUsage(). SIGTERM / SIGINT close it cleanly.
import { createServer, type ServerResponse } from "node:http";
import { ConfigError, loadServerConfig } from "@/lib/config";
import { createLogger } from "@/lib/logger";
import { createRealtime } from "@/lib/realtime";
import { installRuntime } from "@/lib/runtime";
import { openDatabase } from "@/lib/db/open";
import { createServices } from "@/lib/services";
import { handleApiRequest } from "../test/helpers/standalone-app";
import { LISTENING_PREFIX } from "./lib/procs";

function memory(res: ServerResponse): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ gc: Boolean(gc), ...process.memoryUsage() }));
}

async function main(): Promise<void> {
  const config = loadServerConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const db = await openDatabase(config.databasePath);
  const services = createServices(db, config);
  installRuntime({ services, config });

  const api = handleApiRequest((err) => logger.error({ err }, "request failed"), config.TRUST_PROXY);
  const httpServer = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/__bench/memory") return memory(res);
    api(req, res);
  });
  const realtime = createRealtime(httpServer, { services, config, logger });
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.PORT, config.HOST, resolve);
  });
  const address = httpServer.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  process.stdout.write(`${LISTENING_PREFIX}http://${config.HOST}:${port}\n`);

  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), 5000).unref();
    httpServer.closeAllConnections();
    realtime
      .close()
      .then(() => services.close())
      .then(() => db.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? "") : String(err)}\n`,
  );
  process.exit(1);
});
