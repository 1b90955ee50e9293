// socket.io at /socket.io: handshake auth, history on connect, one handler per event, fan-out by room.
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { clientAddress } from "../http/client-address";
import { isOriginAllowed } from "../http/origin";
import { MAX_FRAME_BYTES, SOCKET_PATH, type Message } from "../protocol";
import type { ChatEventMap } from "../services/events";
import { roomKey, sessionKey, userKey } from "./keys";
import { registerMessageActionHandlers } from "./message-action-handlers";
import { registerMessageHandlers } from "./message-handlers";
import { registerRoomHandlers } from "./room-handlers";
import { identify } from "./socket-auth";
import type { SocketGuards } from "./socket-guards";
import type { ChatServer, HandlerDeps } from "./types";

export function attachSocketIo(httpServer: HttpServer, deps: HandlerDeps, guards: SocketGuards) {
  const { services, config, logger } = deps;
  const io: ChatServer = new Server(httpServer, {
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

  io.use((socket, next) => {
    identify(services.auth, socket.handshake.auth, socket.request).then(
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

  io.on("connection", (socket) => {
    const { identity, options } = socket.data;
    guards.socketIo(socket);
    registerMessageHandlers(socket, deps);
    registerMessageActionHandlers(socket, deps);
    registerRoomHandlers(socket, deps);
    services.presence.connected(identity);
    socket.on("disconnect", () => services.presence.disconnected(identity));
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

  // services → sockets; every fan-out goes through socket.io rooms, so the Redis adapter can carry it later
  const listeners: { [E in keyof ChatEventMap]?: (...args: ChatEventMap[E]) => void } = {
    "message:created": (m: Message) => io.to(roomKey(m.room)).emit("message:new", m),
    "message:updated": (m: Message) => io.to(roomKey(m.room)).emit("message:updated", m),
    "session:revoked": (sessionId) => io.in(sessionKey(sessionId)).disconnectSockets(true),
    membership: ({ userId, username, room, joined }) => {
      const sockets = io.in(userKey(userId));
      if (!joined) {
        sockets.socketsLeave(roomKey(room));
        io.to(userKey(userId)).emit("room:left", { room });
        io.to(roomKey(room)).emit("room:member", { room, username, joined }); // to those who stay
        return;
      }
      io.to(roomKey(room)).emit("room:member", { room, username, joined }); // to those already in
      sockets.socketsJoin(roomKey(room));
      services.rooms
        .summaryFor({ userId, username, sessionId: 0, admin: false }, room)
        .then((summary) => io.to(userKey(userId)).emit("room:joined", summary))
        .catch((err: unknown) => logger.error({ err }, "room summary failed"));
    },
    read: ({ userId, ...marker }) => io.to(userKey(userId)).emit("room:read", marker),
    presence: ({ username, online }) => io.emit("presence", { username, online }),
    "user:updated": (profile) => io.emit("user:updated", profile),
  };
  for (const [event, listener] of Object.entries(listeners)) {
    services.events.on(event as keyof ChatEventMap, listener);
  }
  return {
    io,
    async close(): Promise<void> {
      for (const [event, listener] of Object.entries(listeners)) {
        services.events.off(event as keyof ChatEventMap, listener);
      }
      await io.close();
    },
  };
}
