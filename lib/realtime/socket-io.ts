// socket.io at /socket.io: handshake auth, history on connect, one handler per event, fan-out by room.
import type { Server as HttpServer } from "node:http";
import { Server, type ServerOptions } from "socket.io";
import { clientAddress } from "../http/client-address";
import { isOriginAllowed } from "../http/origin";
import { MAX_FRAME_BYTES, SOCKET_PATH, type Message } from "../protocol";
import type { ChatEventMap } from "../services/events";
import { roomKey, sessionKey, userKey } from "./keys";
import { listen, type SharedListener } from "./acked";
import { coalesceFlushes } from "./coalesced-writes";
import { messageActionHandlers } from "./message-action-handlers";
import { messageHandlers } from "./message-handlers";
import { createPresenceFanout } from "./presence-fanout";
import { roomHandlers } from "./room-handlers";
import { identify } from "./socket-auth";
import type { SocketGuards } from "./socket-guards";
import type { UpgradeRequestRelease } from "./upgrade-request";
import type { ChatServer, ChatSocket, HandlerDeps } from "./types";

/**
 * `adapter`: socket.io's Redis adapter when scaled out (lib/cluster); the in-memory one otherwise.
 * `upgradeRequest`: lets go of each connection's upgrade request once it is admitted (upgrade-request.ts).
 */
export function attachSocketIo(
  httpServer: HttpServer,
  deps: HandlerDeps,
  guards: SocketGuards,
  { adapter, upgradeRequest }: { adapter?: ServerOptions["adapter"]; upgradeRequest?: UpgradeRequestRelease } = {},
) {
  const { services, config, logger } = deps;
  const io: ChatServer = new Server(httpServer, {
    ...(adapter ? { adapter } : {}),
    path: SOCKET_PATH,
    serveClient: false,
    // other upgrades (/ws, Next's HMR) are routed by createRealtime, not destroyed
    destroyUpgrade: false,
    maxHttpBufferSize: MAX_FRAME_BYTES,
    // engine.io asks this for each handshake: the session (and its cookie) is bound there, so that is
    // where a foreign page is refused and where connection attempts are counted
    allowRequest: (req, callback) => {
      if (!isOriginAllowed(req.headers.origin, req.headers.host, config.ALLOWED_ORIGINS)) {
        return callback("Origin not allowed", false);
      }
      services.throttles.connection(clientAddress(req, config.TRUST_PROXY)).then(
        (wait) => callback(wait === 0 ? null : "Too many connection attempts", wait === 0),
        () => callback("Too many connection attempts", false),
      );
    },
  });

  coalesceFlushes(io.engine);

  io.use((socket, next) => {
    identify(services.auth, socket.handshake.auth, socket.handshake.headers).then(
      (who) => {
        if ("error" in who) return next(new Error(who.error));
        socket.data.identity = who.identity;
        socket.data.options = who.options;
        next();
      },
      (err: unknown) => {
        logger.error({ err }, "socket auth failed");
        next(new Error("unauthorized"));
      },
    );
  });

  // built once: every socket shares these listeners (see acked.ts)
  const handlers = Object.entries({
    ...messageHandlers(deps),
    ...messageActionHandlers(deps),
    ...roomHandlers(deps),
  }).filter((entry): entry is [string, SharedListener] => entry[1] !== undefined);
  function disconnected(this: ChatSocket): void {
    services.presence.disconnected(this.data.identity);
  }

  io.on("connection", (socket) => {
    const { identity, options } = socket.data;
    upgradeRequest?.admitted(socket.conn);
    guards.socketIo(socket);
    listen(socket, handlers);
    services.presence.connected(identity);
    socket.on("disconnect", disconnected);
    // rooms first, then history: a message committed in between arrives live and merges by id
    services.rooms
      .roomNames(identity.userId)
      .then(async (rooms) => {
        await socket.join([...rooms.map(roomKey), userKey(identity.userId), sessionKey(identity.sessionId)]);
        socket.emit("history", await services.messages.history(identity, options.lastMessageId, options.since));
      })
      .catch((err: unknown) => {
        logger.error({ err }, "history failed");
        socket.emit("error", { detail: "Could not load history" });
      });
  });

  // services → this process's sockets (`io.local`): scaled out, every process hears every domain event
  // (lib/cluster relays them) and delivers it to its own sockets, so nothing is delivered twice
  const local = io.local;
  const presence = createPresenceFanout(io);
  const hasLocal = (key: string) => (io.of("/").adapter.rooms.get(key)?.size ?? 0) > 0;
  const listeners: { [E in keyof ChatEventMap]?: (...args: ChatEventMap[E]) => void } = {
    "message:created": (m: Message) => local.to(roomKey(m.room)).emit("message:new", m),
    "message:updated": (m: Message) => local.to(roomKey(m.room)).emit("message:updated", m),
    "session:revoked": (sessionId) => local.in(sessionKey(sessionId)).disconnectSockets(true),
    membership: ({ userId, username, room, joined }) => {
      const sockets = local.in(userKey(userId));
      if (!joined) {
        sockets.socketsLeave(roomKey(room));
        local.to(userKey(userId)).emit("room:left", { room });
        local.to(roomKey(room)).emit("room:member", { room, username, joined }); // to those who stay
        return;
      }
      local.to(roomKey(room)).emit("room:member", { room, username, joined }); // to those already in
      if (!hasLocal(userKey(userId))) return; // their sockets are elsewhere (or nowhere)
      sockets.socketsJoin(roomKey(room));
      services.rooms
        .summaryFor({ userId, username, sessionId: 0, admin: false }, room)
        .then((summary) => local.to(userKey(userId)).emit("room:joined", summary))
        .catch((err: unknown) => logger.error({ err }, "room summary failed"));
    },
    read: ({ userId, ...marker }) => local.to(userKey(userId)).emit("room:read", marker),
    presence: ({ username, online }) => presence.push({ username, online }),
    "user:updated": (profile) => local.emit("user:updated", profile),
  };
  for (const [event, listener] of Object.entries(listeners)) {
    services.events.on(event as keyof ChatEventMap, listener);
  }
  return {
    io,
    /** every socket here reconnects (the client does that by itself) and so catches up from the database */
    reconnectAll(): void {
      for (const socket of io.of("/").sockets.values()) socket.conn.close();
    },
    async close(): Promise<void> {
      presence.close();
      for (const [event, listener] of Object.entries(listeners)) {
        services.events.off(event as keyof ChatEventMap, listener);
      }
      await io.close();
    },
  };
}
