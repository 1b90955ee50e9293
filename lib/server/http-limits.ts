// HTTP-level limits of the one server: header / request / keep-alive timeouts (a client trickling headers, or
// holding an idle connection, cannot pin file descriptors), and MAX_CONNECTIONS — connections past it get
// `503 Service Unavailable` with Retry-After to their request or upgrade (then the connection is closed), and
// past a further 10 % Node drops them unanswered, so the process never runs out of file descriptors.
import type { IncomingMessage, Server, ServerOptions, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import type { ServerConfig } from "../config";
import type { Logger } from "../logger";
import type { Counters } from "./counters";

export type HttpLimitsConfig = Pick<
  ServerConfig,
  "MAX_CONNECTIONS" | "HEADERS_TIMEOUT_MS" | "REQUEST_TIMEOUT_MS" | "KEEPALIVE_TIMEOUT_MS"
>;

/** Seconds a refused client is told to wait before trying again. */
export const RETRY_AFTER_SECONDS = 5;

/** The options for createServer: its timeouts, checked often enough to be close to what they say. */
export function httpServerOptions(config: HttpLimitsConfig): ServerOptions {
  return {
    headersTimeout: config.HEADERS_TIMEOUT_MS,
    // Node refuses a request timeout shorter than the headers timeout
    requestTimeout: Math.max(config.REQUEST_TIMEOUT_MS, config.HEADERS_TIMEOUT_MS),
    keepAliveTimeout: config.KEEPALIVE_TIMEOUT_MS,
    // how often Node looks for expired headers / requests (its default, 30 s, would stretch a 10 s timeout to 40)
    connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(config.HEADERS_TIMEOUT_MS / 4))),
  };
}

/**
 * Counts the open connections and answers those past MAX_CONNECTIONS with 503. Call it once every
 * `request` and `upgrade` listener is attached (after socket.io): it goes in front of them.
 */
export function limitConnections(server: Server, config: HttpLimitsConfig, logger: Logger, counters: Counters): void {
  const max = config.MAX_CONNECTIONS;
  server.maxConnections = max + Math.max(16, Math.ceil(max / 10));
  let open = 0;
  const refused = new WeakSet<Socket | Duplex>();
  // one listener for every socket ("close" is emitted once), rather than a closure each
  const closed = () => {
    open--;
  };
  server.on("connection", (socket: Socket) => {
    open++;
    socket.on("close", closed);
    if (open > max) refused.add(socket);
  });
  const refuse = (how: string) => {
    counters.connectionsRefused++;
    logger.warn({ open, max, how }, "too many connections: answered 503");
  };

  const requestListeners = server.listeners("request") as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (refused.has(req.socket)) {
      refuse("request");
      res.shouldKeepAlive = false;
      res.writeHead(503, {
        "retry-after": String(RETRY_AFTER_SECONDS),
        "content-type": "text/plain; charset=utf-8",
        connection: "close",
      });
      return void res.end("Server busy: too many connections. Try again shortly.\n");
    }
    for (const listener of requestListeners) listener.call(server, req, res);
  });

  const upgradeListeners = server.listeners("upgrade") as Array<(req: IncomingMessage, s: Duplex, h: Buffer) => void>;
  server.removeAllListeners("upgrade");
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (refused.has(req.socket)) {
      refuse("upgrade");
      return void socket.end(
        `HTTP/1.1 503 Service Unavailable\r\nRetry-After: ${RETRY_AFTER_SECONDS}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
    }
    for (const listener of upgradeListeners) listener.call(server, req, socket, head);
  });
}
