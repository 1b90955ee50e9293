// socket.io at /socket.io: handshake auth, history on connect, one handler per event, fan-out by room.
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { isOriginAllowed } from "../http/origin";
import { MAX_FRAME_BYTES, SOCKET_PATH, type Message } from "../protocol";
import { registerMessageSend } from "./message-send";
import { identify } from "./socket-auth";
import type { ChatServer, HandlerDeps } from "./types";

const roomKey = (room: string) => `room:${room}`;
const sessionKey = (id: number) => `session:${id}`;

export function attachSocketIo(httpServer: HttpServer, deps: HandlerDeps) {
  const { services, config, logger } = deps;
  const io: ChatServer = new Server(httpServer, {
    path: SOCKET_PATH,
    serveClient: false,
    // other upgrades (/ws, Next's HMR) are routed by createRealtime, not destroyed
    destroyUpgrade: false,
    maxHttpBufferSize: MAX_FRAME_BYTES,
    // every HTTP request of engine.io passes here; only handshakes (no sid yet) count against the throttle
    allowRequest: (req, callback) => {
      if (!isOriginAllowed(req.headers.origin, req.headers.host, config.ALLOWED_ORIGINS)) {
        return callback("Origin not allowed", false);
      }
      if (new URL(req.url ?? "/", "http://x").searchParams.has("sid")) return callback(null, true);
      services.throttles.connection(req.socket.remoteAddress ?? "unknown").then(
        (ok) => callback(ok ? null : "Too many connection attempts", ok),
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
    void socket.join([roomKey("general"), sessionKey(identity.sessionId)]);
    registerMessageSend(socket, deps);
    services.messages.history(options.lastMessageId).then(
      (history) => socket.emit("history", history),
      (err: unknown) => {
        logger.error({ err }, "history failed");
        socket.emit("error", { detail: "Could not load history" });
      },
    );
  });

  const onMessage = (m: Message) => io.to(roomKey(m.room)).emit("message:new", m);
  const onRevoked = (sessionId: number) => io.in(sessionKey(sessionId)).disconnectSockets(true);
  services.events.on("message:created", onMessage);
  services.events.on("session:revoked", onRevoked);
  return {
    io,
    async close(): Promise<void> {
      services.events.off("message:created", onMessage);
      services.events.off("session:revoked", onRevoked);
      await io.close();
    },
  };
}
