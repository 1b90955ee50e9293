// What every socket of either transport is watched by once it is admitted: the slow-consumer cut-off
// (backpressure.ts) and the per-user socket cap (connection-limits.ts). The transports call `ws` / `socketIo`
// once per connection and `sent` after each /ws send; nothing else of theirs changes.
import type { WebSocket } from "ws";
import type { ServerConfig } from "../config";
import { TOO_MANY_CONNECTIONS } from "../protocol";
import type { Logger } from "../logger";
import type { Counters } from "../server/counters";
import { createBackpressure } from "./backpressure";
import { createUserSocketLimit } from "./connection-limits";
import type { ChatSocket } from "./types";

export type SocketLimitsConfig = Pick<
  ServerConfig,
  "SLOW_CLIENT_MAX_BYTES" | "SLOW_CLIENT_MAX_MS" | "MAX_SOCKETS_PER_USER"
>;

export function createSocketGuards(config: SocketLimitsConfig, logger: Logger, counters: Counters) {
  const backpressure = createBackpressure({
    maxBytes: config.SLOW_CLIENT_MAX_BYTES,
    maxMs: config.SLOW_CLIENT_MAX_MS,
    logger,
    counters,
  });
  const perUser = createUserSocketLimit({ maxPerUser: config.MAX_SOCKETS_PER_USER, logger, counters });
  const tooMany = `closed: more than ${config.MAX_SOCKETS_PER_USER} connections are open for this account`;
  // built once and shared by every socket (`this`, or the argument), so a connection holds no closure here
  const closeWs = (ws: WebSocket) => ws.close(1008, "too many connections");
  const closeSocketIo = (socket: ChatSocket) => {
    socket.emit("error", { code: TOO_MANY_CONNECTIONS, detail: tooMany });
    socket.disconnect(true);
  };
  function released(this: object): void {
    perUser.release(this);
  }

  return {
    backpressure,
    perUser,
    ws(ws: WebSocket, userId: number): void {
      backpressure.watchWs(ws, userId);
      perUser.admit(userId, "ws", ws, closeWs);
      ws.on("close", released); // emitted once
    },
    /** after a frame of `bytes` was sent on a /ws socket */
    sent(ws: WebSocket, bytes: number): void {
      backpressure.sent(ws, bytes);
    },
    socketIo(socket: ChatSocket): void {
      const userId = socket.data.identity.userId;
      backpressure.watchEngine(socket.conn as unknown as Parameters<typeof backpressure.watchEngine>[0], userId);
      perUser.admit(userId, "socket.io", socket, closeSocketIo);
      socket.on("disconnect", released); // emitted once
    },
    close(): void {
      backpressure.close();
    },
  };
}
export type SocketGuards = ReturnType<typeof createSocketGuards>;
