// The seed's plain-WebSocket protocol at /ws?token=…: JSON text frames, history on connect, broadcast of
// every message (whichever transport sent it), an error frame for anything it cannot act on.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { isAppError, toWireError } from "../errors";
import { clientAddress } from "../http/client-address";
import { isOriginAllowed } from "../http/origin";
import {
  DEFAULT_ROOM,
  describeZodError,
  MAX_FRAME_BYTES,
  wsActionFrameSchema,
  wsClientFrameSchema,
  type Message,
  type WsActionFrame,
  type WsServerFrame,
} from "../protocol";
import type { Identity } from "../services/auth";
import type { SocketGuards } from "./socket-guards";
import type { HandlerDeps } from "./types";

const INVALID_FORMAT = JSON.stringify({ type: "error", detail: "Invalid message format" } satisfies WsServerFrame);

const ACTION_TYPES = new Set(["edit", "delete", "react", "unreact"]);

function decodeFrame(data: RawData, isBinary: boolean): unknown {
  if (isBinary) return undefined;
  try {
    const text = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    return JSON.parse(text.toString("utf8"));
  } catch {
    return undefined;
  }
}

/** A frame with an action `type` (anything else is a message to send, as the seed's frames were). */
const isActionFrame = (frame: unknown): boolean =>
  typeof frame === "object" && frame !== null && ACTION_TYPES.has(String((frame as { type?: unknown }).type));

/** a non-negative integer query parameter, or undefined */
function cursorParam(url: URL, name: string): number | undefined {
  const value = url.searchParams.get(name);
  return value !== null && /^\d+$/.test(value) ? Number(value) : undefined;
}

function refuse(socket: Duplex, status: number, reason: string, retryAfter?: number): void {
  const wait = retryAfter === undefined ? "" : `Retry-After: ${retryAfter}\r\n`;
  socket.end(`HTTP/1.1 ${status} ${reason}\r\n${wait}Connection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function createWsGateway({ services, config, logger }: HandlerDeps, guards: SocketGuards) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  // each socket's user and the rooms it receives (general, plus the user's other rooms: frames carry `room`)
  const identities = new Map<WebSocket, Identity>();
  const roomsOf = new Map<WebSocket, Set<string>>();

  const send = (ws: WebSocket, frame: WsServerFrame | string) => {
    if (ws.readyState !== ws.OPEN) return;
    const text = typeof frame === "string" ? frame : JSON.stringify(frame);
    ws.send(text);
    guards.sent(ws, text.length);
  };

  function onConnection(ws: WebSocket, identity: Identity, after?: number, since?: number): void {
    identities.set(ws, identity);
    roomsOf.set(ws, new Set([DEFAULT_ROOM]));
    guards.ws(ws, identity.userId);
    ws.on("close", () => {
      identities.delete(ws);
      roomsOf.delete(ws);
    });
    ws.on("error", (err) => logger.debug({ err }, "ws client error"));
    services.rooms
      .roomNames(identity.userId)
      .then(async (rooms) => {
        for (const r of rooms) roomsOf.get(ws)?.add(r);
        send(ws, { type: "history", ...(await services.messages.history(identity, after, since)) });
      })
      .catch((err: unknown) => logger.error({ err }, "ws history failed"));
    ws.on("message", (data, isBinary) => onFrame(ws, identity, decodeFrame(data, isBinary)));
  }

  const refused = (ws: WebSocket, what: string) => (err: unknown) => {
    if (!isAppError(err)) logger.error({ err }, `ws ${what} failed`);
    send(ws, { type: "error", detail: toWireError(err).detail });
  };

  function act(identity: Identity, frame: WsActionFrame): Promise<Message> {
    const actions = services.messageActions;
    switch (frame.type) {
      case "edit":
        return actions.editMessage(identity, frame);
      case "delete":
        return actions.deleteMessage(identity, frame);
      case "react":
        return actions.addReaction(identity, frame);
      case "unreact":
        return actions.removeReaction(identity, frame);
    }
  }

  // an action's result reaches this socket as the room's `updated` frame; only refusals answer directly
  function onFrame(ws: WebSocket, identity: Identity, frame: unknown): void {
    if (isActionFrame(frame)) {
      const action = wsActionFrameSchema.safeParse(frame);
      if (!action.success) return send(ws, { type: "error", detail: describeZodError(action.error) });
      return void act(identity, action.data).catch(refused(ws, "action"));
    }
    const parsed = wsClientFrameSchema.safeParse(frame);
    if (!parsed.success) return send(ws, INVALID_FORMAT);
    services.messages.send(identity, parsed.data).catch(refused(ws, "send"));
  }

  // one serialisation per message, however many sockets receive it
  const toRoom = (m: Message, frame: string) => {
    for (const [ws, rooms] of roomsOf) if (rooms.has(m.room)) send(ws, frame);
  };
  const onMessage = (m: Message) => toRoom(m, JSON.stringify({ type: "message", ...m } satisfies WsServerFrame));
  const onUpdated = (m: Message) => toRoom(m, JSON.stringify({ type: "updated", ...m } satisfies WsServerFrame));
  const onMembership = ({ userId, room, joined }: { userId: number; room: string; joined: boolean }) => {
    for (const [ws, who] of identities) {
      if (who.userId !== userId) continue;
      if (joined) roomsOf.get(ws)?.add(room);
      else roomsOf.get(ws)?.delete(room);
    }
  };
  const onRevoked = (sessionId: number) => {
    for (const [ws, who] of identities) if (who.sessionId === sessionId) ws.close(1008, "session ended");
  };
  services.events.on("message:created", onMessage);
  services.events.on("message:updated", onUpdated);
  services.events.on("session:revoked", onRevoked);
  services.events.on("membership", onMembership);

  return {
    sessionIds: () => [...identities.values()].map((who) => who.sessionId),
    /** 1012 "service restart": the client reconnects with `after` and catches up */
    reconnectAll(): void {
      for (const ws of identities.keys()) ws.close(1012, "reconnect to catch up");
    },
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      if (!isOriginAllowed(req.headers.origin, req.headers.host, config.ALLOWED_ORIGINS)) {
        return refuse(socket, 403, "Forbidden");
      }
      const url = new URL(req.url ?? "/", "http://localhost");
      const after = cursorParam(url, "after");
      const since = cursorParam(url, "since");
      const admit = async () => {
        const wait = await services.throttles.connection(clientAddress(req, config.TRUST_PROXY));
        return wait > 0 ? { wait } : await services.auth.authenticate(url.searchParams.get("token"));
      };
      admit().then(
        (identity) => {
          if (identity && "wait" in identity) return refuse(socket, 429, "Too Many Requests", identity.wait);
          if (!identity) return refuse(socket, 401, "Unauthorized");
          wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, identity, after, since));
        },
        (err: unknown) => {
          logger.error({ err }, "ws auth failed");
          refuse(socket, 500, "Internal Server Error");
        },
      );
    },
    close(): Promise<void> {
      services.events.off("message:created", onMessage);
      services.events.off("message:updated", onUpdated);
      services.events.off("session:revoked", onRevoked);
      services.events.off("membership", onMembership);
      for (const ws of identities.keys()) ws.close(1001, "server shutting down");
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
