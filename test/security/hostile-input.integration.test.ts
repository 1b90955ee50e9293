// Issue 4, point 6: hostile input. Prototype-pollution keys in every JSON the server parses (HTTP bodies and
// query strings, socket.io payloads and handshake auth, /ws frames), and malformed socket.io / engine.io
// packets written by hand on a raw engine.io WebSocket. Nothing crashes, hangs or pollutes; the server
// runs in this process, so a polluted Object.prototype or an uncaught exception would show up right here.
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getMessages } from "../helpers/http";
import {
  connectOutcome,
  ioFrom,
  openRawEngineSocket,
  postFrom,
  rawRequest,
  settlesWithin,
  type RawEngineSocket,
} from "../helpers/security";
import { ackedMessage, send, sendRaw } from "../helpers/socket-utils";
import { startTestServer, type TestServer, type TestSocket } from "../helpers/test-server";
import { openWs, type WsClient } from "../helpers/ws-client";

let server: TestServer;
let token: string;
let bystander: TestSocket;
const sockets: TestSocket[] = [];
const wsClients: WsClient[] = [];
const raws: RawEngineSocket[] = [];
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

beforeAll(async () => {
  server = await startTestServer();
  token = await server.token("hostile_user");
  bystander = ioFrom(server.url, undefined, {
    transports: ["websocket"],
    auth: { token: await server.token("hostile_bystander") },
  });
  expect(await connectOutcome(bystander)).toBe("connected");
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await Promise.all([...wsClients.splice(0).map((c) => c.close()), ...raws.splice(0).map((r) => r.close())]);
  expectUnpolluted();
});
afterAll(async () => {
  bystander.disconnect();
  await server.close();
});

function expectUnpolluted(): void {
  const probe = {} as Record<string, unknown>;
  expect(probe.polluted).toBeUndefined();
  expect(probe.content).toBeUndefined();
  expect(probe.token).toBeUndefined();
  expect(probe.isAdmin).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
  expect(Object.getOwnPropertyNames(Array.prototype)).not.toContain("polluted");
}

let served = 0;
/** Health 200 and a bystander round trip: the server is alive and serving. */
async function expectServing(): Promise<void> {
  expect((await rawRequest(server.url, "/api/health")).status).toBe(200);
  expect(bystander.connected).toBe(true);
  const content = `bystander ${served++}`;
  expect(ackedMessage(await send(bystander, { content })).content).toBe(content);
}

// the JSON texts below keep "__proto__" as an own key (JSON.parse does; an object literal would not)
const POLLUTERS = [
  '{"__proto__":{"polluted":"yes","isAdmin":true}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"__proto__":{"__proto__":{"polluted":"yes"}}}',
  '{"prototype":{"polluted":"yes"},"constructor":"x","toString":"x","valueOf":1,"hasOwnProperty":null}',
];
const withCredentials = (polluter: string, username: string) =>
  `{"username":"${username}","password":"correct horse battery",${polluter.slice(1)}`;

describe("prototype-pollution keys", () => {
  it.each(POLLUTERS)("in POST bodies %s: /register, /login and /logout answer normally", async (polluter) => {
    const username = `proto_${randomBytes(3).toString("hex")}`;
    const reg = await postFrom(server.url, "/register", withCredentials(polluter, username));
    expect(reg.status).toBe(200);
    const login = await postFrom(server.url, "/login", withCredentials(polluter, username));
    expect(login.status).toBe(200);
    const alone = await postFrom(server.url, "/login", polluter);
    expect([400, 422]).toContain(alone.status);
    expect(typeof alone.json<{ detail: unknown }>().detail).toBe("string");
    const out = await postFrom(server.url, "/logout", polluter, {
      headers: { authorization: `Bearer ${login.json<{ token: string }>().token}` },
    });
    expect(out.status).toBe(200);
    expectUnpolluted();
  });

  it("in /api/messages query strings", async () => {
    for (const qs of [
      "__proto__[polluted]=yes",
      "constructor[prototype][polluted]=yes",
      "__proto__=1&limit=5",
      "toString=1&valueOf=2&hasOwnProperty=3",
      "__proto__.polluted=yes&after=1",
    ]) {
      const res = await rawRequest(server.url, `/api/messages?${qs}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status, qs).toBeLessThan(500);
      expect(res.status === 200 || typeof res.json<{ detail: unknown }>().detail === "string").toBe(true);
    }
    expect((await getMessages(server.url, { limit: 1 }, { token })).status).toBe(200);
  });

  it.each(POLLUTERS)("in socket.io message:send payloads %s", async (polluter) => {
    const socket = ioFrom(server.url, undefined, { transports: ["websocket"], auth: { token } });
    sockets.push(socket);
    expect(await connectOutcome(socket)).toBe("connected");
    const alone = await sendRaw(socket, JSON.parse(polluter));
    expect(alone).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    const withContent = await sendRaw(socket, JSON.parse(`{"content":"proto content",${polluter.slice(1)}`));
    expect(ackedMessage(withContent).content).toBe("proto content");
    const nested = await sendRaw(socket, { content: JSON.parse(polluter) as unknown });
    expect(nested).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(socket.connected).toBe(true);
  });

  it.each(POLLUTERS)("in socket.io handshake auth %s (with and without a token)", async (polluter) => {
    const without = ioFrom(server.url, undefined, { transports: ["websocket"], auth: JSON.parse(polluter) as object });
    sockets.push(without);
    expect(await connectOutcome(without)).toBe("connect_error: unauthorized");
    const auth = JSON.parse(`{"token":"${token}",${polluter.slice(1)}`) as object;
    const withToken = ioFrom(server.url, undefined, { transports: ["websocket"], auth });
    sockets.push(withToken);
    expect(await connectOutcome(withToken)).toBe("connected");
  });

  it.each(POLLUTERS)("in /ws frames %s", async (polluter) => {
    const client = await openWs(server.url, { token });
    wsClients.push(client);
    await client.nextOf("history");
    client.ws.send(polluter);
    expect(await client.nextOf("error")).toEqual({ type: "error", detail: "Invalid message format" });
    client.ws.send(`{"content":"ws proto",${polluter.slice(1)}`);
    expect(await client.next((f) => f.type === "message" && f.content === "ws proto")).toMatchObject({
      type: "message",
    });
    expect(client.ws.readyState).toBe(client.ws.OPEN);
  });
});

describe("malformed packets on a raw engine.io WebSocket", () => {
  /** A raw engine.io socket that has joined the default namespace with the token (like socket.io-client does). */
  async function joined(): Promise<RawEngineSocket> {
    const raw = await openRawEngineSocket(server.url);
    raws.push(raw);
    await raw.waitFor((f) => f.startsWith("0{"));
    raw.ws.send(`40${JSON.stringify({ token })}`);
    await raw.waitFor((f) => f.startsWith('40{"sid"'));
    return raw;
  }

  let ackId = 100;
  /** After the junk the socket is either closed by the server, or still answers a well-formed message:send. */
  async function closedOrAlive(raw: RawEngineSocket): Promise<"closed" | "alive"> {
    if (await settlesWithin(raw.closed, 100)) return "closed";
    const id = ackId++;
    const from = raw.frames.length;
    raw.ws.send(`42${id}["message:send",{"content":"alive ${id}"}]`);
    const answer = await Promise.race([
      raw.waitFor((f) => f.startsWith(`43${id}[`), 3000, from).then(() => "alive" as const),
      raw.closed.then(() => "closed" as const),
    ]);
    if (answer === "alive") {
      const ack = raw.frames.slice(from).find((f) => f.startsWith(`43${id}[`))!;
      expect(JSON.parse(ack.slice(2 + String(id).length))).toEqual([
        expect.objectContaining({ ok: true, message: expect.objectContaining({ content: `alive ${id}` }) as unknown }),
      ]);
    }
    return answer;
  }

  const junk: Array<[string, string | Buffer]> = [
    ["truncated JSON", '42["message:send"'],
    ["numbers for an event", "42[1,2,3]"],
    ["an empty event array", "42[]"],
    ["a null event name", "42[null]"],
    ["an object instead of an array", '42{"content":"x"}'],
    ["a bare string", '42"message:send"'],
    ["a bare event type", "42"],
    ["an unknown socket.io type", '49["message:send"]'],
    ["an ack for an id never sent", '43999["whatever"]'],
    ["an ack without an id", "43[]"],
    ["a CONNECT_ERROR from the client", '44{"message":"x"}'],
    ["a CONNECT to an unknown namespace", "40/admin,"],
    ["a DISCONNECT for an unknown namespace", "41/admin,"],
    ["an event for an unknown namespace", '42/admin,["message:send",{"content":"x"}]'],
    ["a prototype-named event", '42["__proto__",{"polluted":"yes"}]'],
    ["a constructor event", '42["constructor",{"prototype":{"polluted":"yes"}}]'],
    ["a toString event", '42["toString"]'],
    ["a reserved event name", '42["connect",{}]'],
    ["an event with a huge ack id", '4299999999999999999999["message:send",{"content":"x"}]'],
    ["a binary event announcing attachments that never come", '451-["message:send",{"_placeholder":true,"num":0}]'],
    ["a placeholder with a hostile index", '451-["message:send",{"_placeholder":true,"num":"__proto__"}]'],
    ["a binary event announcing a billion attachments", '451000000000-["message:send",{"content":"x"}]'],
    ["a placeholder in a plain event", '42["message:send",{"_placeholder":true,"num":0}]'],
    ["deeply nested arrays", `42["message:send",${"[".repeat(20_000)}${"]".repeat(20_000)}]`],
    ["deeply nested objects", `42["message:send",${'{"a":'.repeat(5000)}1${"}".repeat(5000)}]`],
    ["an engine.io probe outside an upgrade", "2probe"],
    ["an engine.io upgrade packet", "5"],
    ["an engine.io noop", "6"],
    ["an unknown engine.io type", "9hello"],
    ["an empty text frame", ""],
    ["a lone '4'", "4"],
    ["'4' + control characters", "4\u0000\u0001\u0002\u001b[2J\u007f"],
    ["'4' + random printable characters", `4${randomBytes(64).toString("latin1")}`],
    ["a binary frame of random bytes", randomBytes(256)],
    ["'4' + random bytes in a binary frame", Buffer.concat([Buffer.from("4"), randomBytes(128)])],
  ];

  it.each(junk)("%s: the socket is closed or keeps working, the server keeps serving", async (_what, packet) => {
    const raw = await joined();
    raw.ws.send(packet, { binary: Buffer.isBuffer(packet) });
    expect(["closed", "alive"]).toContain(await closedOrAlive(raw));
    await expectServing();
  });

  it("a binary attachment announced and then sent with junk is harmless", async () => {
    const raw = await joined();
    raw.ws.send('451-["message:send",{"_placeholder":true,"num":0}]');
    raw.ws.send(randomBytes(32), { binary: true });
    raw.ws.send(randomBytes(32), { binary: true });
    expect(["closed", "alive"]).toContain(await closedOrAlive(raw));
    await expectServing();
  });

  it("packets before joining the namespace, and a CONNECT with junk auth, are refused without harm", async () => {
    const raw = await openRawEngineSocket(server.url);
    raws.push(raw);
    await raw.waitFor((f) => f.startsWith("0{"));
    raw.ws.send('42["message:send",{"content":"not joined"}]');
    raw.ws.send("40[1,2]");
    raw.ws.send('40{"token":123,"lastMessageId":"x"}');
    raw.ws.send('40{"token":"nope"');
    const refusal = await Promise.race([
      raw.waitFor((f) => f.startsWith("44")).then((f) => f),
      raw.closed.then(() => "closed"),
    ]);
    expect(refusal === "closed" || /^44\{"message":".+"\}$/.test(refusal)).toBe(true);
    await expectServing();
  });

  it("200 random socket.io-looking packets on one connection after another never take the server down", async () => {
    let raw = await joined();
    let reopened = 0;
    for (let i = 0; i < 200; i++) {
      if (raw.ws.readyState !== raw.ws.OPEN) {
        raw = await joined();
        reopened++;
      }
      const body = randomBytes(1 + (i % 40)).toString(i % 2 ? "latin1" : "base64");
      const prefixes = ["4", "42", "42[", '42["message:send",', "43", "45", "40", "2", "3", ""];
      raw.ws.send(`${prefixes[i % prefixes.length]}${body}`);
    }
    expect(["closed", "alive"]).toContain(await closedOrAlive(raw));
    expect(reopened).toBeLessThan(200);
    await expectServing();
  });
});
