// ChatSession against a scripted in-process socket.io server (not the real Chatterbox server): merging by
// id, held-back live messages, retries with the same clientId, lastMessageId on reconnect, unauthorized.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type Socket } from "socket.io";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  SOCKET_PATH,
  type ClientToServerEvents,
  type Message,
  type SendMessageInput,
  type ServerToClientEvents,
} from "../../lib/protocol";
import {
  ChatSession,
  SendRejectedError,
  SessionClosedError,
  type ChatSessionHandlers,
  type ConnectionState,
} from "../../cli/chat-session";

type ServerSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

const message = (id: number, content = `m${id}`): Message => ({
  id,
  username: "alice",
  content,
  timestamp: new Date(0).toISOString(),
  room: "general",
});

let http: HttpServer;
let io: Server<ClientToServerEvents, ServerToClientEvents>;
let url: string;
let handshakes: Array<Record<string, unknown>>;
let onConnection: (socket: ServerSocket) => void;
let sessions: ChatSession[];

beforeEach(async () => {
  handshakes = [];
  sessions = [];
  onConnection = (socket) => socket.emit("history", { messages: [] });
  http = createServer();
  io = new Server(http, { path: SOCKET_PATH });
  io.use((socket, next) => {
    const auth = socket.handshake.auth as Record<string, unknown>;
    handshakes.push(auth);
    next(auth.token === "good" ? undefined : new Error("unauthorized"));
  });
  io.on("connection", (socket) => onConnection(socket));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const session of sessions) session.close();
  await io.close();
});

function recorder() {
  const shown: Message[] = [];
  const states: ConnectionState[] = [];
  const retries: string[] = [];
  let readyCount = 0;
  let unauthorized = 0;
  const handlers: ChatSessionHandlers = {
    messages: (messages) => shown.push(...messages),
    ready: () => {
      readyCount++;
    },
    state: (state) => states.push(state),
    notice: () => undefined,
    sendRetry: (_item, reason) => retries.push(reason),
    unauthorized: () => {
      unauthorized++;
    },
  };
  return {
    handlers,
    shown,
    states,
    retries,
    ids: () => shown.map((m) => m.id),
    ready: () => readyCount,
    unauthorized: () => unauthorized,
  };
}

function open(token: string, rec: ReturnType<typeof recorder>, ackTimeoutMs = 300): ChatSession {
  const session = new ChatSession({ serverUrl: url, token, handlers: rec.handlers, ackTimeoutMs, echoGraceMs: 300 });
  sessions.push(session);
  session.start();
  return session;
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("ChatSession", () => {
  it("shows history then live messages, each id once, live ones held back until the history", async () => {
    onConnection = (socket) => {
      socket.emit("message:new", message(3)); // before the history: must not be shown first
      socket.emit("history", { messages: [message(1), message(2)] });
      socket.emit("message:new", message(2)); // duplicate
      socket.emit("message:new", message(4));
    };
    const rec = recorder();
    const session = open("good", rec);
    await session.whenReady();
    await until(() => rec.shown.length >= 4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(rec.ids()).toEqual([1, 2, 3, 4]);
    expect(session.lastMessageId).toBe(4);
  });

  it("retries an unacknowledged message with the same clientId until it is acked", async () => {
    const seen: SendMessageInput[] = [];
    onConnection = (socket) => {
      socket.emit("history", { messages: [] });
      socket.on("message:send", (payload, ack) => {
        seen.push(payload);
        if (seen.length < 3) return; // drop the first two attempts
        const stored = { ...message(7, payload.content), clientId: payload.clientId };
        ack({ ok: true, message: stored });
        socket.emit("message:new", stored);
      });
    };
    const rec = recorder();
    const session = open("good", rec, 150);
    const stored = await session.send("hello");
    expect(stored.id).toBe(7);
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((p) => p.clientId)).size).toBe(1);
    expect(seen[0]?.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(rec.retries).toHaveLength(2);
    await session.settle();
    expect(rec.ids()).toEqual([7]);
  });

  it("does not retry a refused message", async () => {
    let attempts = 0;
    onConnection = (socket) => {
      socket.emit("history", { messages: [] });
      socket.on("message:send", (_payload, ack) => {
        attempts++;
        ack({ ok: false, error: { code: "invalid_input", detail: "message is empty" } });
      });
    };
    const session = open("good", recorder());
    await expect(session.send("x")).rejects.toBeInstanceOf(SendRejectedError);
    expect(attempts).toBe(1);
  });

  it("shows an acked message from the ack when its broadcast never comes", async () => {
    onConnection = (socket) => {
      socket.emit("history", { messages: [] });
      socket.on("message:send", (payload, ack) => ack({ ok: true, message: message(9, payload.content) }));
    };
    const rec = recorder();
    const session = open("good", rec);
    await session.send("quiet");
    await session.settle();
    expect(rec.shown.map((m) => m.content)).toEqual(["quiet"]);
  });

  it("reconnects with the last id seen and merges the gap without duplicates", async () => {
    let connections = 0;
    onConnection = (socket) => {
      connections++;
      if (connections === 1) {
        socket.emit("history", { messages: [message(1), message(2)] });
        setTimeout(() => socket.conn.close(), 50); // a dropped transport: the client reconnects by itself
      } else {
        socket.emit("history", { messages: [message(2), message(3)] });
      }
    };
    const rec = recorder();
    open("good", rec);
    await until(() => rec.ready() >= 2);
    expect(handshakes[0]).toEqual({ token: "good" });
    expect(handshakes[1]).toEqual({ token: "good", lastMessageId: 2 });
    expect(rec.ids()).toEqual([1, 2, 3]);
    expect(rec.states).toEqual(["connecting", "connected", "reconnecting", "connected"]);
  });

  it("queues sends while disconnected and delivers them after reconnecting", async () => {
    let connections = 0;
    const received: string[] = [];
    onConnection = (socket) => {
      connections++;
      socket.emit("history", { messages: [] });
      if (connections === 1) setTimeout(() => socket.conn.close(), 20);
      socket.on("message:send", (payload, ack) => {
        received.push(payload.content);
        ack({ ok: true, message: message(received.length, payload.content) });
      });
    };
    const rec = recorder();
    const session = open("good", rec);
    await until(() => rec.states.includes("reconnecting"));
    const sends = [session.send("one"), session.send("two")];
    await Promise.all(sends);
    expect(received).toEqual(["one", "two"]);
  });

  it("reports unauthorized and closes the session", async () => {
    const rec = recorder();
    const session = open("bad", rec);
    await expect(session.whenReady()).rejects.toBeInstanceOf(SessionClosedError);
    expect(rec.unauthorized()).toBe(1);
    expect(session.closed).toBe(true);
    await expect(session.send("x")).rejects.toBeInstanceOf(SessionClosedError);
  });
});
