// socket.io: handshake auth, history, message:send acks and broadcast, invalid input, idempotency,
// reconnect gap fill and logout, against a real server on a fresh SQLite file.
import { randomUUID } from "node:crypto";
import { io as ioClient, type ManagerOptions, type SocketOptions } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LIMITS, type HistoryPayload, type Message } from "@/lib/protocol";
import type { Identity } from "@/lib/services/auth";
import { cookiePair, pageIds } from "../helpers/http";
import {
  ackedMessage,
  record,
  send,
  sendRaw,
  waitConnectError,
  waitConnected,
  waitDisconnect,
  waitUntil,
  type SendAck,
} from "../helpers/socket-utils";
import { collectMessages, nextEvent, startTestServer, type TestServer, type TestSocket } from "../helpers/test-server";
import { dbAll, dbNumber } from "../helpers/db";

let server: TestServer;
/** sockets opened here without server.connect(), closed after each test */
const ownSockets: TestSocket[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => {
  for (const s of ownSockets.splice(0)) s.disconnect();
});
afterAll(async () => {
  await server.close();
});

function rawSocket(opts: Partial<ManagerOptions & SocketOptions>): TestSocket {
  const socket: TestSocket = ioClient(server.url, { reconnection: false, ...opts });
  ownSockets.push(socket);
  return socket;
}

async function identityOf(token: string): Promise<Identity> {
  const who = await server.services.auth.authenticate(token);
  if (!who) throw new Error("token does not authenticate");
  return who;
}

/** A connected socket and its history. */
async function connected(
  token: string,
  extra: { lastMessageId?: number } = {},
): Promise<{ socket: TestSocket; history: HistoryPayload }> {
  const socket = server.connect({ token, ...extra });
  const history = nextEvent(socket, "history");
  await waitConnected(socket);
  return { socket, history: await history };
}

async function storeMessages(who: Identity, count: number, prefix: string): Promise<Message[]> {
  const stored = await Promise.all(
    Array.from({ length: count }, (_, i) => server.services.messages.send(who, { content: `${prefix} ${i}` })),
  );
  return stored.sort((a, b) => a.id - b.id);
}

const latestId = () => dbNumber(server, "SELECT coalesce(max(id), 0) FROM Message");

/**
 * The barrier before an absence check: `from` sends a marker and `seen` (message:new on some socket) gets it.
 * What `from` sent before, and whatever the server emitted to that socket before, has arrived by then.
 */
async function markerSeen(from: TestSocket, seen: Message[]): Promise<void> {
  const marker = ackedMessage(await send(from, { content: `marker ${randomUUID()}` }));
  await waitUntil(() => seen.some((m) => m.id === marker.id), 5000, "the marker");
}

describe("handshake auth", () => {
  it("refuses a handshake without a token: connect_error unauthorized", async () => {
    const socket = server.connect({});
    expect(await waitConnectError(socket)).toBe("unauthorized");
    expect(socket.connected).toBe(false);
  });

  it.each([
    ["a made-up token", "not-a-token"],
    ["an empty token", ""],
  ])("refuses %s: connect_error unauthorized", async (_what, token) => {
    const socket = server.connect({ token });
    expect(await waitConnectError(socket)).toBe("unauthorized");
  });

  it("refuses a logged-out token", async () => {
    const token = await server.token("sock_gone");
    expect((await server.post("/logout", {}, { authorization: `Bearer ${token}` })).status).toBe(200);
    expect(await waitConnectError(server.connect({ token }))).toBe("unauthorized");
  });

  describe("the session cookie set by the web login", () => {
    let cookie: string;
    beforeAll(async () => {
      await server.token("cookie_sock"); // registers
      const res = await server.post("/login", { username: "cookie_sock", password: "correct horse battery" });
      cookie = cookiePair(res.headers.getSetCookie().find((c) => c.startsWith("chatterbox_session="))!);
    });

    it("authenticates over polling, then upgrades to websocket and can send", async () => {
      const socket = rawSocket({ transports: ["polling", "websocket"], extraHeaders: { cookie } });
      let handshakeTransport: string | undefined;
      socket.io.once("open", () => (handshakeTransport = socket.io.engine.transport.name));
      const history = nextEvent(socket, "history");
      await waitConnected(socket);
      expect(handshakeTransport).toBe("polling");
      expect(Array.isArray((await history).messages)).toBe(true);
      if (socket.io.engine.transport.name !== "websocket") {
        await new Promise<void>((resolve) => socket.io.engine.once("upgrade", () => resolve()));
      }
      expect(socket.io.engine.transport.name).toBe("websocket");
      const ack = await send(socket, { content: "sent with a cookie session" });
      expect(ackedMessage(ack).username).toBe("cookie_sock");
    });

    it.each([[["websocket"]], [["polling"]]])("authenticates with transports %j", async (transports) => {
      const socket = rawSocket({ transports, extraHeaders: { cookie } });
      const history = nextEvent(socket, "history");
      await waitConnected(socket);
      await history;
      expect(socket.io.engine.transport.name).toBe(transports[0]);
    });

    it("refuses a forged cookie", async () => {
      const socket = rawSocket({
        transports: ["polling", "websocket"],
        extraHeaders: { cookie: "chatterbox_session=forged" },
      });
      expect(await waitConnectError(socket)).toBe("unauthorized");
    });

    it("prefers an explicit auth token over the cookie", async () => {
      const other = await server.token("cookie_sock_other");
      const socket = rawSocket({ transports: ["websocket"], extraHeaders: { cookie }, auth: { token: other } });
      await waitConnected(socket);
      expect(ackedMessage(await send(socket, { content: "who am i" })).username).toBe("cookie_sock_other");
    });
  });

  describe("Origin of the handshake", () => {
    let token: string;
    beforeAll(async () => {
      token = await server.token("sock_origin");
    });

    it.each([[["websocket"]], [["polling"]]])("refuses a foreign Origin over %j", async (transports) => {
      const socket = rawSocket({ transports, auth: { token }, extraHeaders: { origin: "https://evil.example" } });
      await expect(waitConnectError(socket)).resolves.toEqual(expect.any(String));
      expect(socket.connected).toBe(false);
    });

    it("accepts the server's own Origin", async () => {
      const socket = rawSocket({ transports: ["websocket"], auth: { token }, extraHeaders: { origin: server.url } });
      await waitConnected(socket);
      expect(socket.connected).toBe(true);
    });
  });
});

describe("history on connect", () => {
  it("carries the last 50 messages, oldest first", async () => {
    const token = await server.token("historian");
    const who = await identityOf(token);
    const sent: Message[] = [];
    for (let i = 1; i <= 60; i++) sent.push(await server.services.messages.send(who, { content: `history ${i}` }));

    const { history } = await connected(token);
    expect(history.messages.map((m) => m.id)).toEqual(sent.slice(10).map((m) => m.id));
    expect(history.messages).toEqual(sent.slice(10));
    expect(history.messages[0]?.content).toBe("history 11");
    expect(history.messages.at(-1)?.content).toBe("history 60");
    expect(history.truncated).toBeUndefined();
    for (const m of history.messages) {
      expect(m).toMatchObject({ username: "historian", room: "general" });
      expect(new Date(m.timestamp).toISOString()).toBe(m.timestamp);
    }
  });
});

describe("message:send", () => {
  let aliceToken: string;
  let bobToken: string;
  beforeAll(async () => {
    aliceToken = await server.token("alice");
    bobToken = await server.token("bob");
  });

  it("acks {ok:true, message} only once the message is in the database", async () => {
    const { socket } = await connected(aliceToken);
    const clientId = randomUUID();
    const { ack, rows } = await new Promise<{ ack: SendAck; rows: Array<Record<string, unknown>> }>((resolve) => {
      socket.emit("message:send", { content: "  durable hello  ", clientId }, (ack) => {
        // read the database through a separate connection, started inside the ack callback
        const read = ack.ok
          ? dbAll<Record<string, unknown>>(server, "SELECT * FROM Message WHERE id = ?", ack.message.id)
          : [];
        void Promise.resolve(read).then((rows) => resolve({ ack, rows }));
      });
    });
    const message = ackedMessage(ack);
    expect(message).toMatchObject({ username: "alice", content: "durable hello", room: "general", clientId });
    expect(Number.isInteger(message.id)).toBe(true);
    expect(new Date(message.timestamp).toISOString()).toBe(message.timestamp);
    expect(Math.abs(Date.now() - Date.parse(message.timestamp))).toBeLessThan(60_000);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: message.id, content: "durable hello", username: "alice", clientId });
  });

  it("broadcasts message:new to every connected socket, the sender included", async () => {
    const a1 = await connected(aliceToken);
    const a2 = await connected(aliceToken);
    const b = await connected(bobToken);
    const receivers = [a1.socket, a2.socket, b.socket].map((s) => nextEvent(s, "message:new"));
    const message = ackedMessage(await send(a1.socket, { content: "hello everyone" }));
    const got = await Promise.all(receivers);
    for (const m of got) expect(m).toEqual(message);
  });

  it("every client sees the messages in id order", async () => {
    const senders = await Promise.all([connected(aliceToken), connected(bobToken), connected(aliceToken)]);
    const { socket: watcher } = await connected(bobToken);
    const arriving = collectMessages(watcher, 30);
    const acks = await Promise.all(
      senders.flatMap(({ socket }, s) =>
        Array.from({ length: 10 }, (_, i) => send(socket, { content: `burst ${s}.${i}` })),
      ),
    );
    const ackIds = acks.map((a) => ackedMessage(a).id);
    const seen = (await arriving).map((m) => m.id);
    expect(seen).toEqual([...ackIds].sort((x, y) => x - y));
    expect(new Set(seen).size).toBe(30);
  });

  describe("invalid payloads", () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ["empty content", { content: "" }, /empty/],
      ["whitespace-only content", { content: " \n\t " }, /empty/],
      ["4001 characters", { content: "x".repeat(4001) }, /4000/],
      ["numeric content", { content: 5 }, /content must be a string/],
      ["null content", { content: null }, /content must be a string/],
      ["array content", { content: ["hi"] }, /content must be a string/],
      ["missing content", {}, /content/],
      ["only a clientId", { clientId: randomUUID() }, /content/],
      ["a clientId that is not a UUID", { content: "hi", clientId: "retry-1" }, /UUID/],
      ["a string payload", "hello", /object with content/],
      ["a number payload", 42, /object with content/],
      ["a null payload", null, /object with content/],
      ["an array payload", [{ content: "hi" }], /object with content/],
      ["an own __proto__ key", JSON.parse('{"__proto__": {"content": "sneaky"}}') as unknown, /content/],
    ];

    it.each(cases)("%s → {ok:false, error:{code:'invalid_input', detail}}, connection open", async (_w, p, detail) => {
      const { socket } = await connected(aliceToken);
      const { socket: observer } = await connected(bobToken);
      const broadcast = record(observer, "message:new");
      const before = await latestId();

      const ack = await sendRaw(socket, p);
      expect(ack.ok).toBe(false);
      if (ack.ok) return;
      expect(ack.error.code).toBe("invalid_input");
      expect(ack.error.detail).toMatch(detail);
      expect(await latestId()).toBe(before);

      // still connected and usable
      expect(socket.connected).toBe(true);
      const ok = ackedMessage(await send(socket, { content: "still here" }));
      await waitUntil(() => broadcast.length > 0, 2000, "broadcast");
      expect(broadcast.map((m) => m.id)).toEqual([ok.id]);
    });

    it("an own __proto__ key beside valid content is ignored and pollutes nothing", async () => {
      const { socket } = await connected(aliceToken);
      const payload: unknown = JSON.parse('{"content": "proto ok", "__proto__": {"polluted": "yes"}}');
      const message = ackedMessage(await sendRaw(socket, payload));
      expect(message.content).toBe("proto ok");
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty("polluted");
    });

    it("without an ack callback, bad input gets an error {detail} event and the connection stays open", async () => {
      const { socket } = await connected(aliceToken);
      const errors = record(socket, "error");
      const before = await latestId();
      (socket as unknown as { emit(event: string, payload: unknown): void }).emit("message:send", { content: "" });
      await waitUntil(() => errors.length > 0, 2000, "error event");
      expect(errors[0]).toEqual({ detail: expect.stringMatching(/empty/) as unknown });
      (socket as unknown as { emit(event: string, payload: unknown): void }).emit("message:send", "junk");
      await waitUntil(() => errors.length > 1, 2000, "second error event");
      expect(errors[1]?.detail).toMatch(/object with content/);
      expect(await latestId()).toBe(before);
      expect(socket.connected).toBe(true);
      expect(ackedMessage(await send(socket, { content: "after the errors" })).content).toBe("after the errors");
    });

    it("without an ack callback, valid input is still stored and broadcast", async () => {
      const { socket } = await connected(aliceToken);
      const incoming = nextEvent(socket, "message:new");
      (socket as unknown as { emit(event: string, payload: unknown): void }).emit("message:send", {
        content: "fire and forget",
      });
      const m = await incoming;
      expect(m.content).toBe("fire and forget");
      expect(await dbNumber(server, "SELECT count(*) FROM Message WHERE id = ?", m.id)).toBe(1);
    });

    it("an ack error never arrives as an error event too", async () => {
      const { socket } = await connected(aliceToken);
      const errors = record(socket, "error");
      expect((await sendRaw(socket, { content: "" })).ok).toBe(false);
      await markerSeen(socket, record(socket, "message:new"));
      expect(errors).toEqual([]);
    });
  });
});

describe("idempotency by clientId", () => {
  let token: string;
  let observerToken: string;
  beforeAll(async () => {
    token = await server.token("retrier");
    observerToken = await server.token("observer");
  });

  const rowsWith = (clientId: string) => dbNumber(server, "SELECT count(*) FROM Message WHERE clientId = ?", clientId);

  it("the same clientId sent 3 times is stored once, acked identically, broadcast once", async () => {
    const { socket } = await connected(token);
    const { socket: observer } = await connected(observerToken);
    const seen = record(observer, "message:new");
    const clientId = randomUUID();
    const acks: SendAck[] = [];
    for (let i = 0; i < 3; i++) acks.push(await send(socket, { content: "only once", clientId }));
    const first = ackedMessage(acks[0]!);
    expect(acks.map(ackedMessage)).toEqual([first, first, first]);
    expect(await rowsWith(clientId)).toBe(1);
    await markerSeen(socket, seen);
    expect(seen.filter((m) => m.clientId === clientId)).toEqual([first]);
  });

  it("concurrent retries with the same clientId are stored once and acked identically", async () => {
    const { socket } = await connected(token);
    const { socket: observer } = await connected(observerToken);
    const seen = record(observer, "message:new");
    const clientId = randomUUID();
    const acks = await Promise.all(Array.from({ length: 5 }, () => send(socket, { content: "racing", clientId })));
    const messages = acks.map(ackedMessage);
    expect(new Set(messages.map((m) => m.id)).size).toBe(1);
    expect(await rowsWith(clientId)).toBe(1);
    await markerSeen(socket, seen);
    expect(seen.filter((m) => m.clientId === clientId)).toHaveLength(1);
  });

  it("a retry from a new connection of the same user gets the stored message, even with other text", async () => {
    const clientId = randomUUID();
    const first = await connected(token);
    const original = ackedMessage(await send(first.socket, { content: "original text", clientId }));
    first.socket.disconnect();
    const second = await connected(token);
    const retry = ackedMessage(await send(second.socket, { content: "edited before retry", clientId }));
    expect(retry).toEqual(original);
    expect(await rowsWith(clientId)).toBe(1);
  });

  it("two users may use the same clientId: each stores their own message", async () => {
    const clientId = randomUUID();
    const mine = await connected(token);
    const theirs = await connected(observerToken);
    const a = ackedMessage(await send(mine.socket, { content: "mine", clientId }));
    const b = ackedMessage(await send(theirs.socket, { content: "theirs", clientId }));
    expect(a.id).not.toBe(b.id);
    expect([a.username, b.username]).toEqual(["retrier", "observer"]);
    expect(await rowsWith(clientId)).toBe(2);
  });
});

describe("reconnect with auth.lastMessageId", () => {
  let token: string;
  let who: Identity;
  beforeAll(async () => {
    token = await server.token("reconnector");
    who = await identityOf(token);
  });

  it("history carries exactly the messages after N, oldest first", async () => {
    await storeMessages(who, 3, "before the gap");
    const n = await latestId();
    const missed = await storeMessages(who, 7, "missed");
    const { history } = await connected(token, { lastMessageId: n });
    expect(history.messages).toEqual(missed);
    expect(history.truncated).toBeUndefined();
  });

  it("history is empty when nothing was missed", async () => {
    const { history } = await connected(token, { lastMessageId: await latestId() });
    expect(history.messages).toEqual([]);
  });

  it("caps the gap fill at 1000 and says truncated; the client pages the rest over REST", async () => {
    const n = await latestId();
    const first = await storeMessages(who, LIMITS.gapFillMax, "gap");
    const exact = await connected(token, { lastMessageId: n });
    expect(exact.history.messages.map((m) => m.id)).toEqual(first.map((m) => m.id));
    expect(exact.history.truncated).toBeFalsy();

    const extra = await storeMessages(who, 5, "over the cap");
    const over = await connected(token, { lastMessageId: n });
    expect(over.history.truncated).toBe(true);
    expect(over.history.messages).toHaveLength(1000);
    expect(over.history.messages.map((m) => m.id)).toEqual(first.map((m) => m.id));

    const rest = await pageIds(server.url, { after: over.history.messages.at(-1)!.id, limit: 500 }, token);
    expect(rest).toEqual(extra.map((m) => m.id));
  });

  it("live messages follow the gap fill without loss", async () => {
    const n = await latestId();
    const missed = await storeMessages(who, 2, "missed again");
    const { socket, history } = await connected(token, { lastMessageId: n });
    expect(history.messages).toEqual(missed);
    const live = nextEvent(socket, "message:new");
    const sent = ackedMessage(await send(socket, { content: "live after gap" }));
    expect(await live).toEqual(sent);
    expect(sent.id).toBeGreaterThan(missed.at(-1)!.id);
  });
});

describe("logout", () => {
  it("disconnects every socket of that session within 1 s, and no other session's", async () => {
    const sessionA = await server.token("logout_user");
    const sessionB = await server.token("logout_user");
    const a1 = (await connected(sessionA)).socket;
    const a2 = (await connected(sessionA)).socket;
    const b = (await connected(sessionB)).socket;
    const bReceived = record(b, "message:new"); // any traffic proves b is alive
    let bGone = false;
    b.on("disconnect", () => (bGone = true));

    const gone = [waitDisconnect(a1, 1000), waitDisconnect(a2, 1000)];
    const res = await server.post("/logout", {}, { authorization: `Bearer ${sessionA}` });
    expect(res.status).toBe(200);
    expect(await Promise.all(gone)).toEqual(["io server disconnect", "io server disconnect"]);

    // the barrier: b's own message comes back on b's socket, after any disconnect the logout sent it
    const ok = ackedMessage(await send(b, { content: "still logged in" }));
    await waitUntil(() => bReceived.some((m) => m.id === ok.id), 2000, "b receives its own message");
    expect(bGone).toBe(false);
    expect(b.connected).toBe(true);

    // and the logged-out token cannot come back
    expect(await waitConnectError(server.connect({ token: sessionA }))).toBe("unauthorized");
  });
});
