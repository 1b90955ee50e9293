import type { Server, Socket } from "socket.io";
import type { ServerSideEvents } from "../cluster/events";
import type { ServerConfig } from "../config";
import type { Logger } from "../logger";
import type { ClientToServerEvents, ServerToClientEvents, SocketAuth } from "../protocol";
import type { Identity } from "../services/auth";
import type { Services } from "../services";

export interface SocketData {
  identity: Identity;
  options: SocketAuth;
}

/** server-to-server events (lib/cluster) ride the socket.io adapter when scaled out */
export type ChatServer = Server<ClientToServerEvents, ServerToClientEvents, ServerSideEvents, SocketData>;
export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, ServerSideEvents, SocketData>;

export interface HandlerDeps {
  services: Services;
  config: Pick<ServerConfig, "ALLOWED_ORIGINS" | "SESSION_TTL" | "TRUST_PROXY">;
  logger: Logger;
  /** told how long each acked request took, arrival to ack (for /metrics) */
  observeAck?: (seconds: number) => void;
}
