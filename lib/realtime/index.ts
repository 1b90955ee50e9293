// Attaches both realtime transports to an HTTP server and routes its upgrades: /socket.io to engine.io
// (which listens itself), /ws to the seed gateway, anything else (Next's dev HMR) to `otherUpgrade`.
import type { IncomingMessage, Server as HttpServer } from "node:http";
import type { Duplex } from "node:stream";
import type { ServerOptions } from "socket.io";
import { SOCKET_PATH, WS_PATH } from "../protocol";
import type { Counters } from "../server/counters";
import { attachSocketIo } from "./socket-io";
import { createSocketGuards, type SocketLimitsConfig } from "./socket-guards";
import { upgradeRequestRelease } from "./upgrade-request";
import type { HandlerDeps } from "./types";
import { createWsGateway } from "./ws-gateway";

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => unknown;

export function createRealtime(
  httpServer: HttpServer,
  deps: HandlerDeps,
  limits: { config: SocketLimitsConfig; counters: Counters; adapter?: ServerOptions["adapter"] },
  otherUpgrade?: UpgradeHandler,
) {
  const guards = createSocketGuards(limits.config, deps.logger, limits.counters);
  const upgradeRequest = upgradeRequestRelease();
  const socketIo = attachSocketIo(httpServer, deps, guards, { adapter: limits.adapter, upgradeRequest });
  const gateway = createWsGateway(deps, guards);

  httpServer.prependListener("upgrade", upgradeRequest.beforeEngine);
  httpServer.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = (req.url ?? "/").split("?")[0];
    if (pathname === WS_PATH) return gateway.handleUpgrade(req, socket, head);
    // engine.io's own upgrade listener has answered
    if (pathname?.startsWith(SOCKET_PATH)) return upgradeRequest.afterEngine(socket);
    if (otherUpgrade) return void otherUpgrade(req, socket, head);
    socket.destroy();
  });

  // sessions that expire while their sockets are open: checked at a fraction of the TTL
  const sweepMs = Math.max(1000, Math.min(30_000, (deps.config.SESSION_TTL * 1000) / 4));
  const sweep = setInterval(() => {
    const ids = [...socketIo.io.of("/").sockets.values()].map((s) => s.data.identity.sessionId);
    deps.services.auth
      .revokeExpired([...ids, ...gateway.sessionIds()])
      .catch((err: unknown) => deps.logger.error({ err }, "session sweep failed"));
  }, sweepMs).unref();

  return {
    io: socketIo.io,
    guards,
    /** open sockets now, by transport */
    connections: () => ({ socketio: socketIo.io.of("/").sockets.size, ws: gateway.sessionIds().length }),
    /** every socket here (both transports) reconnects, and so catches up from the database by its cursor */
    reconnectAll(): void {
      socketIo.reconnectAll();
      gateway.reconnectAll();
    },
    async close(): Promise<void> {
      clearInterval(sweep);
      guards.close();
      await Promise.all([socketIo.close(), gateway.close()]);
    },
  };
}
export type Realtime = ReturnType<typeof createRealtime>;
