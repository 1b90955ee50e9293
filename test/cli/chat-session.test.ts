// ChatSession against a scripted in-process socket.io server (not the real Chatterbox server): merging by
// id, held-back live messages, retries with the same clientId, lastMessageId on reconnect, unauthorized;
// rooms: send targets, acked room requests, room/typing/presence events, beforeReady, markSeen, and the
// REST catch-up of a truncated gap fill across every room (the scripted server answers a few REST paths).
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type Socket } from "socket.io";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  SOCKET_PATH,
  TOO_MANY_CONNECTIONS,
  type ClientToServerEvents,
  type Message,
  type SendMessageInput,
  type ServerToClientEvents,
} from "../../lib/protocol";
import {
  ChatSession,
  RequestError,
  SendRejectedError,
  SessionClosedError,
  type ChatSessionHandlers,
  type ConnectionState,
  type ReadMarker,
} from "../../cli/chat-session";
import { unchanged } from "../helpers/message-fixture";

type ServerSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

const message = (id: number, content = `m${id}`, room = "general"): Message => ({
  ...unchanged(id),
  id,
  username: "alice",
  content,
  timestamp: new Date(0).toISOString(),
  room,
});

let http: HttpServer;
let io: Server<ClientToServerEvents, ServerToClientEvents>;
let url: string;
let handshakes: Array<Record<string, unknown>>;
let onConnection: (socket: ServerSocket) => void;
let sessions: ChatSession[];
/** REST answers of the scripted server: path + query → JSON body */
let rest: (url: URL) => unknown;
let restCalls: string[];

beforeEach(async () => {
  handshakes = [];
  sessions = [];
  restCalls = [];
  rest = () => undefined;
  onConnection = (socket) => socket.emit("history", { messages: [] });
  http = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname.startsWith(SOCKET_PATH)) return; // socket.io's own
    restCalls.push(`${url.pathname}${url.search}`);
    const body = rest(url);
    res.writeHead(body === undefined ? 404 : 200, { "content-type": "application/json" });
    res.end(JSON.stringify(body ?? { detail: "not found" }));
  });
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
  const events: Array<[string, unknown]> = [];
  const notices: string[] = [];
  let readyCount = 0;
  let unauthorized = 0;
  const handlers: ChatSessionHandlers = {
    messages: (messages) => shown.push(...messages),
    ready: () => {
      readyCount++;
    },
    state: (state) => states.push(state),
    notice: (detail) => notices.push(detail),
    sendRetry: (_item, reason) => retries.push(reason),
    unauthorized: () => {
      unauthorized++;
    },
    roomJoined: (room) => events.push(["room:joined", room]),
    roomLeft: (room) => events.push(["room:left", room]),
    roomRead: (marker: ReadMarker) => events.push(["room:read", marker]),
    typing: (event) => events.push(["typing", event]),
    presence: (event) => events.push(["presence", event]),
  };
  return {
    handlers,
    shown,
    states,
    retries,
    events,
    notices,
    ids: () => shown.map((m) => m.id),
    ready: () => readyCount,
    unauthorized: () => unauthorized,
  };
}

function open(
  token: string,
  rec: ReturnType<typeof recorder>,
  ackTimeoutMs = 300,
  extra: Partial<ConstructorParameters<typeof ChatSession>[0]> = {},
): ChatSession {
  const session = new ChatSession({
    serverUrl: url,
    token,
    handlers: rec.handlers,
    ackTimeoutMs,
    echoGraceMs: 300,
    ...extra,
  });
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
      socket.emit("message:new", message(5, "marker")); // the barrier: anything shown twice came before it
    };
    const rec = recorder();
    const session = open("good", rec);
    await session.whenReady();
    await until(() => rec.ids().includes(5));
    expect(rec.ids()).toEqual([1, 2, 3, 4, 5]);
    expect(session.lastMessageId).toBe(5);
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
    expect(handshakes[1]).toEqual({ token: "good", lastMessageId: 2, since: 2 });
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

  it("does not come back when the server closed it for newer connections of the account", async () => {
    onConnection = (socket) => {
      socket.emit("history", { messages: [] });
      setTimeout(() => {
        socket.emit("error", { code: TOO_MANY_CONNECTIONS, detail: "closed: more than 50 connections" });
        socket.disconnect(true);
      }, 30);
    };
    const rec = recorder();
    const session = open("good", rec);
    await until(() => rec.states.at(-1) === "disconnected");
    // nothing will bring it back: no retry was scheduled (that would have said "reconnecting") and socket.io
    // is not reconnecting on its own (`active` is what its backoff runs on)
    expect(rec.states).not.toContain("reconnecting");
    expect(session.socket.active).toBe(false);
    expect(handshakes).toHaveLength(1);
    expect(rec.notices).toEqual(["closed: more than 50 connections"]);
  });

  it("sends to general, to a room, or to a user", async () => {
    const seen: SendMessageInput[] = [];
    onConnection = (socket) => {
      socket.emit("history", { messages: [] });
      socket.on("message:send", (payload, ack) => {
        seen.push(payload);
        ack({ ok: true, message: message(seen.length, payload.content, payload.room ?? "general") });
      });
    };
    const session = open("good", recorder());
    await session.send("a");
    await session.send("b", { room: "ops" });
    await session.send("c", { to: "bob" });
    expect(seen.map(({ content, room, to }) => ({ content, room, to }))).toEqual([
      { content: "a", room: undefined, to: undefined },
      { content: "b", room: "ops", to: undefined },
      { content: "c", room: undefined, to: "bob" },
    ]);
  });

  it("makes acked room requests and turns refusals into RequestErrors", async () => {
    const ops = {
      name: "ops",
      kind: "room" as const,
      private: false,
      unread: 0,
      mentions: 0,
      lastMessageId: 5,
      lastReadId: 5,
    };
    const calls: Array<[string, unknown]> = [];
    onConnection = (socket) => {
      socket.emit("history", { messages: [] });
      socket.on("room:create", (payload, ack) => {
        calls.push(["create", payload]);
        ack({ ok: false, error: { code: "conflict", detail: "A room named ops already exists" } });
      });
      socket.on("room:join", (payload, ack) => {
        calls.push(["join", payload]);
        ack({ ok: true, room: ops, messages: [message(5, "hi", "ops")] });
      });
      socket.on("room:leave", (payload, ack) => {
        calls.push(["leave", payload]);
        ack({ ok: true });
      });
      socket.on("room:invite", (payload, ack) => {
        calls.push(["invite", payload]);
        ack({ ok: false, error: { code: "not_found", detail: "No user named zed" } });
      });
      socket.on("room:read", (payload, ack) => {
        calls.push(["read", payload]);
        ack({ ok: true, unread: 0, mentions: 0, countedThrough: 0 });
      });
      socket.on("typing", (payload) => calls.push(["typing", payload]));
    };
    const rec = recorder();
    const session = open("good", rec);
    await session.whenReady();
    const refused = await session.createRoom("ops", true).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(RequestError);
    expect(refused).toMatchObject({ code: "conflict", message: "A room named ops already exists" });
    expect(await session.joinRoom("ops")).toEqual({ room: ops, messages: [message(5, "hi", "ops")] });
    await session.leaveRoom("ops");
    await expect(session.invite("ops", "zed")).rejects.toMatchObject({ code: "not_found" });
    expect(await session.markRead("ops", 5)).toEqual({ unread: 0, mentions: 0, countedThrough: 0 });
    session.typing("ops");
    await until(() => calls.length === 6);
    expect(calls).toEqual([
      ["create", { name: "ops", private: true }],
      ["join", { room: "ops" }],
      ["leave", { room: "ops" }],
      ["invite", { room: "ops", username: "zed" }],
      ["read", { room: "ops", lastReadId: 5 }],
      ["typing", { room: "ops" }],
    ]);
    // join's messages are the caller's to show: the session did not hand them to `messages`
    expect(rec.shown).toEqual([]);
  });

  it("fails room requests fast when not connected, and times out unanswered ones", async () => {
    onConnection = (socket) => socket.emit("history", { messages: [] }); // never answers room:join
    const session = new ChatSession({
      serverUrl: url,
      token: "good",
      handlers: recorder().handlers,
      ackTimeoutMs: 200,
    });
    sessions.push(session);
    await expect(session.joinRoom("ops")).rejects.toThrow(/not connected/);
    session.start();
    await session.whenReady();
    await expect(session.joinRoom("ops")).rejects.toThrow(/no answer/);
  });

  it("hands room, read, typing and presence events to their handlers, skipping malformed ones", async () => {
    const dm = {
      name: "dm:alice:bob",
      kind: "dm" as const,
      private: true,
      unread: 1,
      mentions: 0,
      lastMessageId: 3,
      lastReadId: 0,
      peer: "alice",
    };
    onConnection = (socket) => {
      socket.emit("history", { messages: [] });
      socket.emit("room:joined", dm);
      socket.emit("room:joined", { name: "broken" } as never);
      socket.emit("room:read", { room: "ops", lastReadId: 4, unread: 0, mentions: 0, countedThrough: 4 });
      socket.emit("typing", { room: "ops", username: "alice" });
      socket.emit("presence", { username: "alice", online: false });
      socket.emit("room:left", { room: "ops" });
      socket.emit("presence", { username: "marker", online: true }); // the barrier: all of the above came first
    };
    const rec = recorder();
    open("good", rec);
    const marker = ["presence", { username: "marker", online: true }];
    await until(() => rec.events.some((e) => JSON.stringify(e) === JSON.stringify(marker)));
    expect(rec.events).toEqual([
      ["room:joined", dm],
      ["room:read", { room: "ops", lastReadId: 4, unread: 0, mentions: 0, countedThrough: 4 }],
      ["typing", { room: "ops", username: "alice" }],
      ["presence", { username: "alice", online: false }],
      ["room:left", "ops"],
      marker,
    ]);
  });

  it("merges what beforeReady loads into the history, before ready, on each connection", async () => {
    onConnection = (socket) => {
      socket.emit("history", { messages: [message(1)] });
      socket.emit("message:new", message(4, "live", "ops")); // arrives while the room loads
    };
    const rec = recorder();
    const calls: boolean[] = [];
    const session = open("good", rec, 300, {
      beforeReady: async ({ reconnect }) => {
        calls.push(reconnect);
        await new Promise((resolve) => setTimeout(resolve, 50));
        return [message(2, "a", "ops"), message(3, "b", "ops"), message(4, "live", "ops")];
      },
    });
    await session.whenReady();
    expect(calls).toEqual([false]);
    expect(rec.ids()).toEqual([1, 2, 3, 4]);
  });

  it("does not hand over messages marked seen, and does not move lastMessageId for them", async () => {
    let socketRef: ServerSocket | undefined;
    onConnection = (socket) => {
      socketRef = socket;
      socket.emit("history", { messages: [message(1)] });
    };
    const rec = recorder();
    const session = open("good", rec);
    await session.whenReady();
    session.markSeen([message(5, "x", "ops")]);
    socketRef?.emit("message:new", message(5, "x", "ops"));
    socketRef?.emit("message:new", message(6, "y", "ops"));
    await until(() => rec.shown.length >= 2);
    expect(rec.ids()).toEqual([1, 6]);
    expect(session.lastMessageId).toBe(6);
    const fresh = open("good", recorder());
    await fresh.whenReady();
    fresh.markSeen([message(9)]);
    expect(fresh.lastMessageId).toBe(1);
  });

  it("pages a truncated catch-up over GET /api/changes by seq, then delivers it in id order", async () => {
    let connections = 0;
    onConnection = (socket) => {
      connections++;
      if (connections === 1) {
        socket.emit("history", { messages: [message(1)] });
        setTimeout(() => socket.conn.close(), 30);
      } else {
        socket.emit("history", { messages: [message(2), message(3, "o", "ops")], truncated: true });
      }
    };
    const stored = [message(4, "g", "general"), message(5, "o", "ops"), message(6, "d", "dm:alice:bob")];
    rest = (u) => {
      if (u.pathname !== "/api/changes") return undefined;
      const since = Number(u.searchParams.get("since"));
      const messages = stored.filter((m) => m.seq > since);
      return { messages, next: messages.at(-1)?.seq ?? since };
    };
    const rec = recorder();
    open("good", rec);
    await until(() => rec.ready() >= 2);
    expect(rec.ids()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(restCalls).toEqual(["/api/changes?since=3&limit=1000"]);
  });
});
