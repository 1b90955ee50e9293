// The seed's plain-WebSocket protocol at /ws?token=…, with the `ws` package as the client (as a Python
// client, wscat or a bot would speak it), alongside socket.io clients on the same server.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Message, WsServerFrame } from "@/lib/protocol";
import type { Identity } from "@/lib/services/auth";
import { ackedMessage, send, waitConnected } from "../helpers/socket-utils";
import { nextEvent, startTestServer, type TestServer } from "../helpers/test-server";
import { openWs, refusedStatus, type WsClient } from "../helpers/ws-client";
import { dbNumber } from "../helpers/db";

const INVALID = { type: "error", detail: "Invalid message format" };

let server: TestServer;
const clients: WsClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await server.close();
});

async function ws(token: string, extra: Record<string, string> = {}): Promise<WsClient> {
  const client = await openWs(server.url, { token, ...extra });
  clients.push(client);
  return client;
}

async function identityOf(token: string): Promise<Identity> {
  const who = await server.services.auth.authenticate(token);
  if (!who) throw new Error("token does not authenticate");
  return who;
}

const isMessage = (f: WsServerFrame): f is Extract<WsServerFrame, { type: "message" }> => f.type === "message";
const messageWith = (content: string) => (f: WsServerFrame) => isMessage(f) && f.content === content;
const latestId = () => dbNumber(server, "SELECT coalesce(max(id), 0) FROM Message");

describe("upgrade", () => {
  it("is refused with 401 without a token", async () => {
    expect(await refusedStatus(server.url, {})).toBe(401);
  });

  it.each(["not-a-token", ""])("is refused with 401 for the bad token %j", async (token) => {
    expect(await refusedStatus(server.url, { token })).toBe(401);
  });

  it("is refused with 401 for a logged-out token", async () => {
    const token = await server.token("ws_gone");
    expect((await server.post("/logout", {}, { authorization: `Bearer ${token}` })).status).toBe(200);
    expect(await refusedStatus(server.url, { token })).toBe(401);
  });

  it("is refused for a foreign Origin even with a valid token, and accepted from the server's own", async () => {
    const token = await server.token("ws_origin");
    const status = await refusedStatus(server.url, { token }, { origin: "https://evil.example" });
    expect([401, 403]).toContain(status);
    const own = await openWs(server.url, { token }, { origin: server.url });
    clients.push(own);
    expect((await own.nextOf("history")).type).toBe("history");
  });
});

describe("history frame", () => {
  it("carries the last 50 messages, oldest first, with username, content and timestamp", async () => {
    const token = await server.token("ws_historian");
    const who = await identityOf(token);
    const sent: Message[] = [];
    for (let i = 1; i <= 55; i++) sent.push(await server.services.messages.send(who, { content: `ws history ${i}` }));

    const client = await ws(token);
    const first = await client.next();
    expect(first.type).toBe("history");
    if (first.type !== "history") return;
    expect(first.messages).toHaveLength(50);
    expect(first.messages).toEqual(sent.slice(5));
    for (const m of first.messages) {
      expect(m.username).toBe("ws_historian");
      expect(typeof m.content).toBe("string");
      expect(new Date(m.timestamp).toISOString()).toBe(m.timestamp);
    }
  });

  it("?after=N carries exactly the messages after N", async () => {
    const token = await server.token("ws_gap");
    const who = await identityOf(token);
    const n = await latestId();
    const missed: Message[] = [];
    for (let i = 0; i < 4; i++) missed.push(await server.services.messages.send(who, { content: `gap ${i}` }));
    const client = await ws(token, { after: String(n) });
    const history = await client.nextOf("history");
    expect(history.messages).toEqual(missed);

    const none = await ws(token, { after: String(await latestId()) });
    expect((await none.nextOf("history")).messages).toEqual([]);
  });

  it("ignores a non-numeric ?after and sends the last 50", async () => {
    const token = await server.token("ws_gap2");
    const client = await ws(token, { after: "abc" });
    const history = await client.nextOf("history");
    expect(history.messages).toHaveLength(50);
    expect(history.messages.at(-1)?.id).toBe(await latestId());
  });
});

describe("messages", () => {
  let tokenA: string;
  let tokenB: string;
  beforeAll(async () => {
    tokenA = await server.token("ws_alice");
    tokenB = await server.token("ws_bob");
  });

  it('{"content"} is stored and broadcast as {type:"message"} to WS clients (sender too) and socket.io clients', async () => {
    const sender = await ws(tokenA);
    const other = await ws(tokenB);
    const sio = server.connect({ token: tokenB });
    await waitConnected(sio);
    const sioGot = nextEvent(sio, "message:new");

    sender.sendJson({ content: "  Hello, world!  " });
    const frame = await sender.next(messageWith("Hello, world!"));
    const otherFrame = await other.next(messageWith("Hello, world!"));
    expect(frame).toEqual(otherFrame);
    if (!isMessage(frame)) throw new Error("not a message frame");
    expect(frame).toMatchObject({ type: "message", username: "ws_alice", content: "Hello, world!", room: "general" });
    expect(new Date(frame.timestamp).toISOString()).toBe(frame.timestamp);

    const { type: _type, ...message } = frame;
    expect(await sioGot).toEqual(message);
    expect(await dbNumber(server, "SELECT count(*) FROM Message WHERE id = ?", message.id)).toBe(1);
  });

  it("socket.io messages reach WS clients", async () => {
    const client = await ws(tokenA);
    const sio = server.connect({ token: tokenB });
    await waitConnected(sio);
    const message = ackedMessage(await send(sio, { content: "from socket.io" }));
    const frame = await client.next(messageWith("from socket.io"));
    expect(frame).toEqual({ type: "message", ...message });
  });

  it("accepts a full 4000-character message", async () => {
    const client = await ws(tokenA);
    const content = "字".repeat(4000); // 12 000 bytes of UTF-8
    client.sendJson({ content });
    const frame = await client.next(messageWith(content));
    expect(frame.type).toBe("message");
  });

  it("accepts a 4000-character message JSON-encoded with \\u escapes (Python's json.dumps default)", async () => {
    const client = await ws(tokenA);
    const content = "字".repeat(4000);
    // what `json.dumps({"content": content})` sends: every non-ASCII character as \uXXXX (6 bytes)
    const asciiJson = JSON.stringify({ content }).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
    expect(JSON.parse(asciiJson)).toEqual({ content });
    client.ws.send(asciiJson);
    const outcome = await Promise.race([
      client.next(messageWith(content)).then(() => "delivered"),
      client.closed.then(({ code }) => `closed with ${code}`),
    ]);
    expect(outcome).toBe("delivered");
  });

  it("a clientId makes retries idempotent on the plain WebSocket too", async () => {
    const client = await ws(tokenA);
    const clientId = randomUUID();
    client.sendJson({ content: "ws once", clientId });
    client.sendJson({ content: "ws once", clientId });
    client.sendJson({ content: "ws marker" });
    await client.next(messageWith("ws marker"));
    expect(client.frames.filter(messageWith("ws once"))).toHaveLength(1);
    expect(await dbNumber(server, "SELECT count(*) FROM Message WHERE clientId = ?", clientId)).toBe(1);
  });

  describe("bad frames", () => {
    const junk: Array<[string, (c: WsClient) => void]> = [
      ["non-JSON text", (c) => c.ws.send("hello there")],
      ["a binary frame", (c) => c.ws.send(Buffer.from(JSON.stringify({ content: "binary" })), { binary: true })],
      ['{"content":""}', (c) => c.sendJson({ content: "" })],
      ['{"content":"   "}', (c) => c.sendJson({ content: "   " })],
      ['{"content":5}', (c) => c.sendJson({ content: 5 })],
      ["4001 characters", (c) => c.sendJson({ content: "x".repeat(4001) })],
      ["a missing content", (c) => c.sendJson({ text: "hi" })],
      ["JSON null", (c) => c.ws.send("null")],
      ["a JSON array", (c) => c.sendJson([{ content: "hi" }])],
      ["a JSON string", (c) => c.sendJson("hi")],
      ["a bad clientId", (c) => c.sendJson({ content: "hi", clientId: "nope" })],
    ];

    it.each(junk)("%s → the error frame; the socket stays open and works", async (what, sendJunk) => {
      const client = await ws(tokenA);
      await client.nextOf("history");
      const before = await latestId();
      sendJunk(client);
      expect(await client.next((f) => f.type === "error")).toEqual(INVALID);
      expect(client.ws.readyState).toBe(client.ws.OPEN);
      expect(await latestId()).toBe(before);

      const marker = `valid after ${what}`;
      client.sendJson({ content: marker });
      // the first message frame after the junk is the valid one: nothing was stored for the junk
      const next = await client.next(isMessage);
      expect(next).toMatchObject({ type: "message", content: marker });
    });

    it("several bad frames in a row each get their error frame", async () => {
      const client = await ws(tokenA);
      await client.nextOf("history");
      for (let i = 0; i < 5; i++) client.ws.send(`{broken ${i}`);
      for (let i = 0; i < 5; i++) expect(await client.next((f) => f.type === "error")).toEqual(INVALID);
      expect(client.ws.readyState).toBe(client.ws.OPEN);
    });
  });
});

describe("logout", () => {
  it("closes that session's WebSocket with code 1008 within 1 s, not another session's", async () => {
    const sessionA = await server.token("ws_leaver");
    const sessionB = await server.token("ws_leaver");
    const a = await ws(sessionA);
    const b = await ws(sessionB);
    await Promise.all([a.nextOf("history"), b.nextOf("history")]);

    const started = Date.now();
    expect((await server.post("/logout", {}, { authorization: `Bearer ${sessionA}` })).status).toBe(200);
    const closed = await Promise.race([
      a.closed,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("not closed within 1 s")), 1000)),
    ]);
    expect(closed.code).toBe(1008);
    expect(Date.now() - started).toBeLessThan(1000);

    expect(b.ws.readyState).toBe(b.ws.OPEN);
    b.sendJson({ content: "b is still here" });
    await b.next(messageWith("b is still here"));
    expect(await refusedStatus(server.url, { token: sessionA })).toBe(401);
  });
});
