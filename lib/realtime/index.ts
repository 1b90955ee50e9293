// Attaches both realtime transports to an HTTP server and routes its upgrades: /socket.io to engine.io
// (which listens itself), /ws to the seed gateway, anything else (Next's dev HMR) to `otherUpgrade`.
import type { IncomingMessage, Server as HttpServer } from "node:http";
import type { Duplex } from "node:stream";
import { SOCKET_PATH, WS_PATH } from "../protocol";
import { attachSocketIo } from "./socket-io";
import type { HandlerDeps } from "./types";
import { createWsGateway } from "./ws-gateway";

type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => unknown;

export function createRealtime(httpServer: HttpServer, deps: HandlerDeps, otherUpgrade?: UpgradeHandler) {
  const socketIo = attachSocketIo(httpServer, deps);
  const gateway = createWsGateway(deps);

  httpServer.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = (req.url ?? "/").split("?")[0];
    if (pathname === WS_PATH) return gateway.handleUpgrade(req, socket, head);
    if (pathname?.startsWith(SOCKET_PATH)) return; // engine.io's own upgrade listener answers
    if (otherUpgrade) return void otherUpgrade(req, socket, head);
    socket.destroy();
  });

  return {
    io: socketIo.io,
    async close(): Promise<void> {
      await Promise.all([socketIo.close(), gateway.close()]);
    },
  };
}
export type Realtime = ReturnType<typeof createRealtime>;
