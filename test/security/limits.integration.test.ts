// Issue 4, point 5: limits. 4000-character messages (counted in characters, not bytes or UTF-16 units),
// socket.io's maxHttpBufferSize and the /ws gateway's maxPayload (oversize: only that client is cut off),
// the 16 KB HTTP body limit at its exact boundary, and invalid UTF-8 on /ws. The server keeps serving others.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST as registerHandler } from "@/app/api/register/route";
import { LIMITS, MAX_FRAME_BYTES, type WsServerFrame } from "@/lib/protocol";
import { connectOutcome, ioFrom, postFrom, rawRequest, settlesWithin } from "../helpers/security";
import { ackedMessage, send, sendRaw, waitDisconnect } from "../helpers/socket-utils";
import { startTestServer, type TestServer, type TestSocket } from "../helpers/test-server";
import { openWs, type WsClient } from "../helpers/ws-client";
import { dbNumber } from "../helpers/db";

const PASSWORD = "correct horse battery";
const BODY_LIMIT = 16 * 1024;

let server: TestServer;
let token: string;
let bystander: TestSocket;
const sockets: TestSocket[] = [];
const wsClients: WsClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  token = await server.token("limits_user");
  bystander = ioFrom(server.url, undefined, {
    transports: ["websocket"],
    auth: { token: await server.token("limits_bystander") },
  });
  expect(await connectOutcome(bystander)).toBe("connected");
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await Promise.all(wsClients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  bystander.disconnect();
  await server.close();
});

async function socketOver(transport: "websocket" | "polling"): Promise<TestSocket> {
  const socket = ioFrom(server.url, undefined, { transports: [transport], auth: { token } });
  sockets.push(socket);
  expect(await connectOutcome(socket)).toBe("connected");
  return socket;
}

async function ws(): Promise<WsClient> {
  const client = await openWs(server.url, { token });
  wsClients.push(client);
  await client.nextOf("history");
  return client;
}

/** The server still serves: health 200, and the bystander's message is stored and acked. */
async function expectServing(label: string): Promise<void> {
  expect((await rawRequest(server.url, "/api/health")).status).toBe(200);
  expect(bystander.connected).toBe(true);
  expect(ackedMessage(await send(bystander, { content: `bystander after ${label}` })).content).toBe(
    `bystander after ${label}`,
  );
}

const latestId = () => dbNumber(server, "SELECT coalesce(max(id), 0) FROM Message");

describe(`message length: ${LIMITS.contentMax} characters`, () => {
  it.each([
    ["ASCII", "x"],
    ["emoji (2 UTF-16 units, 4 bytes each)", "😀"],
    ["CJK (3 bytes each)", "語"],
  ])("%s: 4000 accepted over socket.io and /ws, 4001 refused with a clear error", async (_what, ch) => {
    const socket = await socketOver("websocket");
    const exact = ch.repeat(LIMITS.contentMax);
    expect(ackedMessage(await send(socket, { content: exact })).content).toBe(exact);
    const over = await send(socket, { content: ch.repeat(LIMITS.contentMax + 1) });
    expect(over).toEqual({
      ok: false,
      error: { code: "invalid_input", detail: `message is longer than ${LIMITS.contentMax} characters` },
    });

    const client = await ws();
    client.sendJson({ content: exact });
    expect(await client.next((f) => f.type === "message" && f.content === exact)).toMatchObject({ type: "message" });
    const before = await latestId();
    client.sendJson({ content: ch.repeat(LIMITS.contentMax + 1) });
    expect(await client.nextOf("error")).toEqual({ type: "error", detail: "Invalid message format" });
    expect(await latestId()).toBe(before);
  });
});

describe(`socket.io maxHttpBufferSize (${MAX_FRAME_BYTES} bytes)`, () => {
  it.each(["websocket", "polling"] as const)(
    "over %s: a payload just under it is an invalid_input ack; one over it cuts off only that client",
    async (transport) => {
      const socket = await socketOver(transport);
      // under the frame limit, over the content limit: a normal refusal, the connection stays
      const under = await sendRaw(socket, { content: "y".repeat(MAX_FRAME_BYTES - 1000) });
      expect(under.ok).toBe(false);
      expect(socket.connected).toBe(true);

      const before = await latestId();
      const gone = waitDisconnect(socket, 5000);
      socket.emit("message:send", { content: "z".repeat(MAX_FRAME_BYTES + 10_000) }, () => undefined);
      expect(await gone).toMatch(/transport (close|error)/);
      expect(await latestId()).toBe(before);
      await expectServing(`oversize ${transport}`);
    },
  );

  it("a multi-megabyte polling POST is refused with 413 and the server keeps serving", async () => {
    const open = await rawRequest(server.url, "/socket.io/?EIO=4&transport=polling");
    const { sid } = JSON.parse(open.body.slice(1)) as { sid: string };
    const res = await rawRequest(server.url, `/socket.io/?EIO=4&transport=polling&sid=${sid}`, {
      method: "POST",
      headers: { "content-type": "text/plain;charset=UTF-8" },
      body: `42["message:send",{"content":"${"a".repeat(4 * 1024 * 1024)}"}]`,
    }).catch((err: Error) => ({ status: -1, error: err.message }));
    // either a 413 or the connection cut off mid-upload: never accepted, never a crash
    expect([413, -1]).toContain(res.status);
    await expectServing("huge polling POST");
  });
});

describe(`/ws maxPayload (${MAX_FRAME_BYTES} bytes)`, () => {
  it("a frame just under it gets the error frame; one over it closes that socket with 1009, others unaffected", async () => {
    const victim = await ws();
    const other = await ws();
    victim.sendJson({ content: "y".repeat(MAX_FRAME_BYTES - 1000) });
    expect(await victim.nextOf("error")).toEqual({ type: "error", detail: "Invalid message format" });
    expect(victim.ws.readyState).toBe(victim.ws.OPEN);

    victim.ws.send(JSON.stringify({ content: "z".repeat(MAX_FRAME_BYTES + 10_000) }));
    expect(await settlesWithin(victim.closed, 5000)).toBe(true);
    expect((await victim.closed).code).toBe(1009);

    other.sendJson({ content: "other ws still here" });
    await other.next((f: WsServerFrame) => f.type === "message" && f.content === "other ws still here");
    await expectServing("oversize /ws frame");
  });

  it("a binary frame over it is closed with 1009 too", async () => {
    const victim = await ws();
    victim.ws.send(Buffer.alloc(MAX_FRAME_BYTES + 1, 0x61), { binary: true });
    expect(await settlesWithin(victim.closed, 5000)).toBe(true);
    expect((await victim.closed).code).toBe(1009);
    await expectServing("oversize binary /ws frame");
  });
});

describe("invalid UTF-8 in a /ws text frame", () => {
  it.each([
    ["a lone continuation byte", Buffer.from([0x7b, 0x80, 0x7d])],
    ["an overlong encoding of '/'", Buffer.from([0xc0, 0xaf])],
    ["a UTF-16 surrogate encoded in UTF-8", Buffer.from([0xed, 0xa0, 0x80])],
    ["a truncated 4-byte sequence", Buffer.concat([Buffer.from('{"content":"'), Buffer.from([0xf0, 0x9f, 0x98])])],
  ])("%s → that socket is closed with 1007; the server keeps serving", async (_what, bytes) => {
    const victim = await ws();
    const other = await ws();
    victim.ws.send(bytes, { binary: false });
    expect(await settlesWithin(victim.closed, 5000)).toBe(true);
    expect((await victim.closed).code).toBe(1007);
    other.sendJson({ content: "after invalid utf-8" });
    await other.next((f: WsServerFrame) => f.type === "message" && f.content === "after invalid utf-8");
    await expectServing("invalid UTF-8");
  });
});

describe(`HTTP request bodies: at most ${BODY_LIMIT} bytes`, () => {
  /** `{"username":…,"password":…}` padded with JSON whitespace to exactly `size` bytes */
  const padded = (username: string, size: number): string => {
    const json = JSON.stringify({ username, password: PASSWORD });
    return json.slice(0, -1) + " ".repeat(size - Buffer.byteLength(json)) + "}";
  };

  it.each(["/register", "/login"])("%s: exactly 16 KB is read; one byte more is 400 'too large'", async (path) => {
    const username = `body_${path.slice(1)}`;
    if (path === "/login") await server.token(username);
    const exact = padded(username, BODY_LIMIT);
    expect(Buffer.byteLength(exact)).toBe(BODY_LIMIT);
    expect((await postFrom(server.url, path, exact)).status).toBe(200);

    const over = padded(`${username}2`, BODY_LIMIT + 1);
    const res = await postFrom(server.url, path, over);
    expect(res.status).toBe(400);
    expect(res.json<{ detail: string }>().detail).toMatch(/too large/i);
  });

  it("counts bytes, not characters: 16 KB of multibyte padding in a string value is too large", async () => {
    const body = JSON.stringify({ username: "body_mb", password: PASSWORD, pad: "€".repeat(6000) });
    expect(body.length).toBeLessThan(BODY_LIMIT);
    expect(Buffer.byteLength(body)).toBeGreaterThan(BODY_LIMIT);
    const res = await postFrom(server.url, "/register", body);
    expect(res.status).toBe(400);
    expect(res.json<{ detail: string }>().detail).toMatch(/too large/i);
  });

  it("a 2 MB body is refused with 400 and the server keeps serving", async () => {
    const res = await postFrom(server.url, "/login", `{"username":"${"u".repeat(2 * 1024 * 1024)}"}`);
    expect(res.status).toBe(400);
    expect(res.json<{ detail: string }>().detail).toMatch(/too large/i);
    await expectServing("2 MB body");
  });

  it("a streamed body without Content-Length is cut off soon after 16 KB, not read to its end", async () => {
    // Over HTTP this test harness buffers whole bodies before calling a handler, so the real handler is given a
    // streamed Request directly: what it pulls from the stream is what the server would read off the socket.
    const CHUNK = 64 * 1024;
    const TOTAL = 64 * 1024 * 1024;
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= TOTAL) return controller.close();
        const chunk = new Uint8Array(CHUNK).fill(0x20); // JSON whitespace, forever
        if (pulled === 0) chunk.set(Buffer.from('{"username":"streamed","password":"correct horse battery"'));
        pulled += CHUNK;
        controller.enqueue(chunk);
      },
    });
    const req = new Request(`${server.url}/api/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    const res = await registerHandler(req);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/too large/i);
    // a limit that holds while reading: a few chunks past 16 KB at most, never the whole 64 MB
    expect(pulled).toBeLessThan(1024 * 1024);
  });

  it("/logout ignores its body, whatever its size", async () => {
    const session = await server.token("body_logout");
    const res = await postFrom(server.url, "/logout", "x".repeat(BODY_LIMIT * 4), {
      headers: { authorization: `Bearer ${session}` },
    });
    expect(res.status).toBe(200);
    expect(res.json<{ message: string }>().message).toBe("Logged out");
  });
});

describe("long tokens and parameters", () => {
  it("huge tokens are refused: a 100 KB bearer header, a 40 KB socket.io auth token, a 100 KB one", async () => {
    const res = await rawRequest(server.url, "/api/messages", {
      headers: { authorization: `Bearer ${"t".repeat(100_000)}` },
    });
    expect([400, 401, 431]).toContain(res.status);
    const big = ioFrom(server.url, undefined, { transports: ["websocket"], auth: { token: "t".repeat(40_000) } });
    sockets.push(big);
    expect(await connectOutcome(big)).toBe("connect_error: unauthorized");
    // over the frame limit: the CONNECT packet itself is cut off, so the socket never gets in
    const huge = ioFrom(server.url, undefined, { transports: ["websocket"], auth: { token: "t".repeat(100_000) } });
    sockets.push(huge);
    const outcome = connectOutcome(huge, 2000).catch(() => "nothing");
    expect(await outcome).not.toBe("connected");
    await expectServing("huge tokens");
  });

  it("registration with a 73-byte password never creates the account (no silent truncation at any layer)", async () => {
    const res = await postFrom(server.url, "/register", { username: "limit_pw", password: "p".repeat(73) });
    expect([400, 422]).toContain(res.status);
    expect(await dbNumber(server, "SELECT count(*) FROM User WHERE usernameKey = 'limit_pw'")).toBe(0);
  });
});
