// Wiring only: config, services, Next, socket.io and the /ws gateway on one HTTP server, listen, shutdown.
import { createServer } from "node:http";
import next from "next";
import { ConfigError, loadServerConfig } from "./lib/config";
import { applyProxyHeaders } from "./lib/http/client-address";
import { legacyRoute } from "./lib/http/legacy-routes";
import { createLogger } from "./lib/logger";
import { createRealtime } from "./lib/realtime";
import { installRuntime } from "./lib/runtime";
import { openDatabase } from "./lib/db/open";
import { createServices } from "./lib/services";

async function main(): Promise<void> {
  const config = loadServerConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const dev = config.NODE_ENV !== "production";

  const db = await openDatabase(config.databasePath);
  const services = createServices(db, config);
  installRuntime({ services, config });

  const nextApp = next({ dev, hostname: config.HOST, port: config.PORT });
  await nextApp.prepare();
  const handle = nextApp.getRequestHandler();

  const httpServer = createServer((req, res) => {
    applyProxyHeaders(req, config.TRUST_PROXY);
    req.url = legacyRoute(req.method, req.url, req.headers.accept) ?? req.url;
    handle(req, res).catch((err: unknown) => {
      logger.error({ err }, "request failed");
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const realtime = createRealtime(
    httpServer,
    { services, config, logger },
    dev ? nextApp.getUpgradeHandler() : undefined,
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.PORT, config.HOST, resolve);
  });
  const address = httpServer.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  logger.info(`Chatterbox ${dev ? "(dev) " : ""}listening on http://${config.HOST}:${port}`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    httpServer.closeIdleConnections();
    realtime
      .close()
      .then(() => nextApp.close())
      .then(() => services.close())
      .then(() => db.close())
      .then(() => {
        clearTimeout(force);
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      });
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
