// Wiring only: config, Next, the app factory (lib/server/create-chat-server.ts), listen, signal handlers.
import next from "next";
import { ConfigError, loadServerConfig } from "./lib/config";
import { createLogger } from "./lib/logger";
import { yieldBackgroundThreadsOnOneCpu } from "./lib/server/background-threads";
import { createChatServer } from "./lib/server/create-chat-server";
import { onSignals } from "./lib/server/shutdown";

async function main(): Promise<void> {
  const lowered = yieldBackgroundThreadsOnOneCpu();
  const config = loadServerConfig();
  const logger = createLogger(config.LOG_LEVEL);
  if (lowered > 0) logger.info(`One CPU: ${lowered} background threads lowered to nice 19`);
  const dev = config.NODE_ENV !== "production";

  const nextApp = next({ dev, hostname: config.HOST, port: config.PORT });
  await nextApp.prepare();
  const server = await createChatServer({
    config,
    logger,
    next: {
      handle: nextApp.getRequestHandler(),
      upgrade: dev ? nextApp.getUpgradeHandler() : undefined,
      close: () => nextApp.close(),
    },
  });
  const url = await server.listen();
  logger.info(`Chatterbox ${dev ? "(dev) " : ""}listening on ${url}`);
  onSignals(() => server.close(), logger);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
