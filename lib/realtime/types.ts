import type { Server, Socket } from "socket.io";
import type { ServerConfig } from "../config";
import type { Logger } from "../logger";
import type { ClientToServerEvents, ServerToClientEvents, SocketAuth } from "../protocol";
import type { Identity } from "../services/auth";
import type { Services } from "../services";

export interface SocketData {
  identity: Identity;
  options: SocketAuth;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no server-to-server events yet
export type ChatServer = Server<ClientToServerEvents, ServerToClientEvents, {}, SocketData>;
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, {}, SocketData>;

export interface HandlerDeps {
  services: Services;
  config: Pick<ServerConfig, "ALLOWED_ORIGINS" | "SESSION_TTL" | "TRUST_PROXY">;
  logger: Logger;
  /** told how long each acked request took, arrival to ack (for /metrics) */
  observeAck?: (seconds: number) => void;
}
