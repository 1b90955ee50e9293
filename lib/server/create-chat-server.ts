// The app factory: one HTTP server with the whole request pipeline — database, services, the runtime the
// route handlers read, proxy headers, the seed's legacy paths, then the route table (all of it without Next;
// all but register and login in front of Next's handler under server.ts), socket.io and the /ws gateway — and
// one close() for all of it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createCluster } from "../cluster";
import type { ServerConfig } from "../config";
import type { DataLayer } from "../db/data-layer";
import { openDatabase } from "../db/open";
import { createFaults } from "../fault";
import { applyProxyHeaders } from "../http/client-address";
import { legacyRoute } from "../http/legacy-routes";
import { STATIC_SECURITY_HEADERS } from "../http/security-headers";
import { API_ROUTES, type Route } from "../http/routes";
import { createLogger, type Logger } from "../logger";
import { createRealtime, type UpgradeHandler } from "../realtime";
import { installRuntime, removeRuntime } from "../runtime";
import { createServices, type Services } from "../services";
import { createCounters, type Counters } from "./counters";
import { createMetrics } from "./metrics";
import { guardHosts } from "./host-guard";
import { httpServerOptions, limitConnections } from "./http-limits";
import { nextListener, routeListener } from "./route-listener";

/** What the factory needs of a prepared Next app. */
export interface NextHandlers {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** upgrades that are neither socket.io nor /ws (Next's dev HMR) */
  upgrade?: UpgradeHandler;
  close(): Promise<void>;
}

export interface ChatServerOptions {
  config: ServerConfig;
  /** without it, requests go to `routes` */
  next?: NextHandlers;
  logger?: Logger;
  /** the route table (API_ROUTES unless given): all of it without Next, all but NEXT_ROUTE_PATHS with it */
  routes?: readonly Route[];
}

export interface ChatServer {
  httpServer: Server;
  services: Services;
  db: DataLayer;
  /** the protective cut-offs so far (slow consumers, per-user socket cap, MAX_CONNECTIONS) */
  counters: Counters;
  /** set by listen() */
  url: string | undefined;
  port: number | undefined;
  /** defaults: the configured PORT and HOST; resolves with the URL */
  listen(port?: number, host?: string): Promise<string>;
  /** closes the sockets, Next, the services and the database; safe to call more than once */
  close(): Promise<void>;
}

/** how long requests in flight may take to finish once the server is closing */
const CLOSE_GRACE_MS = 2000;

export async function createChatServer(opts: ChatServerOptions): Promise<ChatServer> {
  const { config, next } = opts;
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL);
  const metrics = createMetrics();
  const db = await openDatabase(config.databasePath ?? config.DATABASE_URL, {
    poolSize: config.DATABASE_POOL_SIZE,
    faults: createFaults(config.fault),
    onCommit: metrics.observeCommit,
  });
  // scaled out (REDIS_URL): the processes share throttles, socket.io rooms, domain events and presence
  const cluster = config.REDIS_URL ? await createCluster(config.REDIS_URL, logger) : undefined;
  const services = createServices(db, config, (msg, err) => logger.warn({ err }, msg), cluster?.redis);
  const runtime = { services, config, metrics };
  installRuntime(runtime);

  const routes = opts.routes ?? API_ROUTES;
  const onError = (err: unknown) => logger.error({ err }, "request failed");
  const handle = next
    ? nextListener((req, res) => next.handle(req, res), routes, onError)
    : routeListener(routes, onError);
  const counters = createCounters();
  const httpServer = createServer(httpServerOptions(config), (req, res) => {
    applyProxyHeaders(req, config.TRUST_PROXY);
    for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) res.setHeader(name, value);
    req.url = legacyRoute(req.method, req.url, req.headers.accept) ?? req.url;
    handle(req, res);
  });
  const realtime = createRealtime(
    httpServer,
    { services, config, logger, observeAck: metrics.observeAck },
    { config, counters, ...(cluster ? { adapter: cluster.adapter() } : {}) },
    next?.upgrade,
  );
  cluster?.attach(realtime.io, services, {
    catchUp: () => realtime.reconnectAll(),
    messagesAfter: (room, afterId, limit) => db.messages.messagesAfter(room, afterId, limit),
    messageIdsBetween: (room, afterId, upToId, limit) => db.messages.messageIdsBetween(room, afterId, upToId, limit),
    messagesBefore: (room, beforeId, limit) => db.messages.messagesBefore(room, beforeId, limit),
  });
  metrics.bind({
    events: services.events,
    counters,
    connections: realtime.connections,
    onlineUsers: services.presence.onlineCount,
    backlog: () => realtime.guards.backpressure.backlog(),
    storageBytes: () => db.storageBytes(),
  });
  guardHosts(httpServer, config); // after socket.io: in front of every listener
  limitConnections(httpServer, config, logger, counters); // and this in front of that

  let closing: Promise<void> | undefined;
  const server: ChatServer = {
    httpServer,
    services,
    db,
    counters,
    url: undefined,
    port: undefined,
    async listen(port = config.PORT, host = config.HOST) {
      await new Promise<void>((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, resolve);
      });
      const address = httpServer.address();
      server.port = typeof address === "object" && address ? address.port : port;
      server.url = `http://${host}:${server.port}`;
      return server.url;
    },
    close() {
      closing ??= (async () => {
        httpServer.closeIdleConnections();
        // socket.io's close waits for the HTTP server's, which waits for every request in flight (a
        // long-poll lasts up to 25 s; a half-sent request until its timeout): they get a moment, then
        // their connections are closed, so a stopping server never hangs on a client
        const drop = setTimeout(() => httpServer.closeAllConnections(), CLOSE_GRACE_MS);
        try {
          await realtime.close();
        } finally {
          clearTimeout(drop);
        }
        await next?.close();
        await cluster?.close();
        await services.close();
        await db.close();
        removeRuntime(runtime);
      })();
      return closing;
    },
  };
  return server;
}
