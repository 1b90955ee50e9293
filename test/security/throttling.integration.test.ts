// Issue 4, point 4: throttling with low limits set through the environment. Each test speaks from loopback
// addresses of its own (127.0.x.y: Linux routes all of 127/8 locally), so the per-address limits are tested in
// isolation and "another address is unaffected" can be shown.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "@/lib/protocol";
import {
  connectOutcome,
  freshLoopback,
  ioFrom,
  postFrom,
  rawRequest,
  settlesWithin,
  type RawResponse,
  uniqueName,
} from "../helpers/security";
import { ackedMessage, record, send, sendRaw, waitUntil, type SendAck } from "../helpers/socket-utils";
import { startTestServer, type TestServer, type TestSocket } from "../helpers/test-server";
import { openWs, refusal, refusedStatus, type WsClient } from "../helpers/ws-client";
import { dbNumber } from "../helpers/db";

const LIMITS = { logins: 3, registrations: 3, messages: 5, connections: 4 };
const PASSWORD = "correct horse battery";

let server: TestServer;
const sockets: TestSocket[] = [];
const wsClients: WsClient[] = [];

beforeAll(async () => {
  server = await startTestServer({
    env: {
      THROTTLE_LOGINS: String(LIMITS.logins),
      THROTTLE_REGISTRATIONS: String(LIMITS.registrations),
      THROTTLE_MESSAGES: String(LIMITS.messages),
      THROTTLE_CONNECTIONS: String(LIMITS.connections),
    },
  });
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await Promise.all(wsClients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await server.close();
});

/** An account made through the service (its own throttle key), so set-up spends no test's budget. */
async function account(prefix: string): Promise<string> {
  const username = uniqueName(prefix);
  await server.services.auth.register({ username, password: PASSWORD }, `setup:${username}`);
  return username;
}

const login = (username: string, password: string, from: string): Promise<RawResponse> =>
  postFrom(server.url, "/login", { username, password }, { localAddress: from });

async function tokenFor(username: string, from = freshLoopback()): Promise<string> {
  const res = await login(username, PASSWORD, from);
  expect(res.status).toBe(200);
  return res.json<{ token: string }>().token;
}

/** A connected socket.io client (websocket) speaking from `from` (a fresh address by default). */
async function connected(token: string, from = freshLoopback()): Promise<TestSocket> {
  const socket = ioFrom(server.url, from, { transports: ["websocket"], auth: { token } });
  sockets.push(socket);
  expect(await connectOutcome(socket)).toBe("connected");
  return socket;
}

function expectThrottled(res: RawResponse, maxRetryAfter: number): void {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers["retry-after"]);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxRetryAfter);
  expect(res.json<{ detail: string }>().detail).toMatch(/too many .*try again in \d+ s/i);
}

const isRateLimited = (ack: SendAck) => !ack.ok && ack.error.code === "rate_limited";

describe(`registrations: ${LIMITS.registrations} per address per hour`, () => {
  it("the next one is 429 with Retry-After (≤ 1 h) and creates nothing; another address still registers", async () => {
    const from = freshLoopback();
    for (let i = 0; i < LIMITS.registrations; i++) {
      const res = await postFrom(
        server.url,
        "/register",
        { username: uniqueName("reg"), password: PASSWORD },
        {
          localAddress: from,
        },
      );
      expect(res.status).toBe(200);
    }
    const blocked = uniqueName("reg_blocked");
    const res = await postFrom(
      server.url,
      "/register",
      { username: blocked, password: PASSWORD },
      {
        localAddress: from,
      },
    );
    expectThrottled(res, 3600);
    expect(await dbNumber(server, "SELECT count(*) FROM User WHERE usernameKey = ?", blocked)).toBe(0);

    const elsewhere = await postFrom(
      server.url,
      "/register",
      { username: blocked, password: PASSWORD },
      {
        localAddress: freshLoopback(),
      },
    );
    expect(elsewhere.status).toBe(200);
  });

  it("the address the server sees is the TCP peer: a forged client-address header changes nothing", async () => {
    const from = freshLoopback();
    for (let i = 0; i <= LIMITS.registrations; i++) {
      const res = await postFrom(
        server.url,
        "/register",
        { username: uniqueName("forge"), password: PASSWORD },
        {
          localAddress: from,
          headers: { "x-chatterbox-client-ip": `10.0.0.${i}`, "x-forwarded-for": `10.1.0.${i}` },
        },
      );
      expect(res.status).toBe(i < LIMITS.registrations ? 200 : 429);
    }
  });
});

describe(`logins: ${LIMITS.logins} failures per account and address per minute`, () => {
  it("the next attempt is 429 with Retry-After (≤ 60 s), even with the right password; no lock-out from elsewhere", async () => {
    const username = await account("guessed");
    const attacker = freshLoopback();
    for (let i = 0; i < LIMITS.logins; i++)
      expect((await login(username, `wrong password ${i}`, attacker)).status).toBe(401);
    expectThrottled(await login(username, "wrong again", attacker), 60);
    expectThrottled(await login(username, PASSWORD, attacker), 60);
    // the owner, from their own address, is not locked out by someone else's guessing
    expect((await login(username, PASSWORD, freshLoopback())).status).toBe(200);
    // and the attacker's address may still log in to another account
    expect((await login(await account("bystander"), PASSWORD, attacker)).status).toBe(200);
  });

  it("a successful login clears the failures: the count starts again from zero", async () => {
    const username = await account("forgetful");
    const from = freshLoopback();
    // more failures in total than the limit, but never that many in a row
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < LIMITS.logins - 1; i++) {
        expect((await login(username, `typo number ${round}.${i}`, from)).status).toBe(401);
      }
      expect((await login(username, PASSWORD, from)).status).toBe(200);
    }
    // after the last success a full budget of failures is available again, then the limit applies
    for (let i = 0; i < LIMITS.logins; i++)
      expect((await login(username, `late typo number ${i}`, from)).status).toBe(401);
    expectThrottled(await login(username, "one too many", from), 60);
  });

  it(`one address gets ${LIMITS.logins * 5} failures across accounts, then 429; other addresses are unaffected`, async () => {
    const from = freshLoopback();
    const budget = LIMITS.logins * 5;
    const statuses: number[] = [];
    for (let i = 0; i < budget; i++) statuses.push((await login(uniqueName("nobody"), "whatever pw", from)).status);
    expect(statuses).toEqual(Array(budget).fill(401));
    expectThrottled(await login(uniqueName("nobody"), "whatever pw", from), 60);
    expect((await login(uniqueName("nobody"), "whatever pw", freshLoopback())).status).toBe(401);
  });
});

describe(`messages: ${LIMITS.messages} per user per 10 s`, () => {
  it("further sends are acked {ok:false, error:{code:'rate_limited'}} and nothing more is stored or broadcast", async () => {
    const alice = await account("flooder");
    const socket = await connected(await tokenFor(alice));
    const acks = await Promise.all(Array.from({ length: 12 }, (_, i) => send(socket, { content: `burst ${i}` })));
    expect(acks.filter((a) => a.ok)).toHaveLength(LIMITS.messages);
    const refused = acks.filter((a) => !a.ok);
    expect(refused).toHaveLength(12 - LIMITS.messages);
    for (const ack of refused) {
      expect(ack).toEqual({
        ok: false,
        error: { code: "rate_limited", detail: expect.stringMatching(/too many messages.*\d+ s/i) as unknown },
      });
    }
    expect(await dbNumber(server, "SELECT count(*) FROM Message WHERE username = ?", alice)).toBe(LIMITS.messages);
    expect(socket.connected).toBe(true);
  });

  it("the budget is per user: a second session and the plain WebSocket share it", async () => {
    const user = await account("two_tabs");
    const tab1 = await connected(await tokenFor(user));
    const tab2 = await connected(await tokenFor(user));
    for (let i = 0; i < LIMITS.messages; i++) ackedMessage(await send(tab1, { content: `tab1 ${i}` }));
    expect(isRateLimited(await send(tab2, { content: "tab2 too" }))).toBe(true);
    const ws = await openWs(server.url, { token: await tokenFor(user) }, { localAddress: freshLoopback() });
    wsClients.push(ws);
    await ws.nextOf("history");
    ws.sendJson({ content: "ws too" });
    expect((await ws.nextOf("error")).detail).toMatch(/too many messages/i);
    expect(ws.ws.readyState).toBe(ws.ws.OPEN);
  });

  it("while one user floods, another user's messages are accepted and delivered promptly", async () => {
    const flooder = await connected(await tokenFor(await account("spammer")));
    const sender = await connected(await tokenFor(await account("polite")));
    const observer = await connected(await tokenFor(await account("reader")));
    const seen = record(observer, "message:new");
    const arrivals = new Map<number, number>();
    observer.on("message:new", (m: Message) => arrivals.set(m.id, performance.now()));

    // the flood: 300 sends, all in flight at once, most of them refused
    const flood = Promise.all(
      Array.from({ length: 300 }, (_, i) => sendRaw(flooder, { content: `spam ${i}` }, 10_000)),
    );
    const delays: number[] = [];
    for (let i = 0; i < LIMITS.messages; i++) {
      const t = performance.now();
      const message = ackedMessage(await send(sender, { content: `polite ${i}` }));
      await waitUntil(() => arrivals.has(message.id), 2000, "delivery to the observer");
      delays.push(arrivals.get(message.id)! - t);
    }
    const floodAcks = await flood;
    expect(floodAcks.filter(isRateLimited).length).toBeGreaterThanOrEqual(300 - LIMITS.messages);
    expect(Math.max(...delays)).toBeLessThan(500);
    expect(seen.filter((m) => m.content.startsWith("polite"))).toHaveLength(LIMITS.messages);
    expect(seen.filter((m) => m.content.startsWith("spam")).length).toBeLessThanOrEqual(LIMITS.messages);
  });
});

describe(`socket handshakes: ${LIMITS.connections} per address per minute`, () => {
  it("socket.io: the next handshake from that address gets connect_error; /ws from it then gets 429", async () => {
    const token = await tokenFor(await account("reconnector"));
    const from = freshLoopback();
    for (let i = 0; i < LIMITS.connections; i++) (await connected(token, from)).disconnect();
    const over = ioFrom(server.url, from, { transports: ["websocket"], auth: { token } });
    sockets.push(over);
    expect(await connectOutcome(over)).toMatch(/^connect_error/);
    // one budget for both transports
    expect(await refusedStatus(server.url, { token }, { localAddress: from })).toBe(429);
    const polling = await rawRequest(server.url, "/socket.io/?EIO=4&transport=polling", { localAddress: from });
    expect([403, 429]).toContain(polling.status);
    expect(polling.body).toMatch(/too many connection attempts/i);
    // another address is unaffected
    await connected(token, freshLoopback());
  });

  it("/ws: the next upgrade from that address is 429 (before any token check); socket.io from it is refused too", async () => {
    const token = await tokenFor(await account("ws_reconnector"));
    const from = freshLoopback();
    for (let i = 0; i < LIMITS.connections; i++) {
      const client = await openWs(server.url, { token }, { localAddress: from });
      await client.close();
    }
    const over = await refusal(server.url, { token }, { localAddress: from });
    expect(over.status).toBe(429);
    // how long to wait: the rest of the minute's window
    expect(Number(over.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(Number(over.headers["retry-after"])).toBeLessThanOrEqual(60);
    expect(await refusedStatus(server.url, { token: "bogus" }, { localAddress: from })).toBe(429);
    const sio = ioFrom(server.url, from, { transports: ["websocket"], auth: { token } });
    sockets.push(sio);
    expect(await connectOutcome(sio)).toMatch(/^connect_error/);
    const elsewhere = await openWs(server.url, { token }, { localAddress: freshLoopback() });
    wsClients.push(elsewhere);
    await elsewhere.nextOf("history");
  });

  it("only handshakes count: a long polling session's many requests do not use up the address's budget", async () => {
    const token = await tokenFor(await account("poller"));
    const from = freshLoopback();
    const polling = ioFrom(server.url, from, { transports: ["polling"], auth: { token } });
    sockets.push(polling);
    expect(await connectOutcome(polling)).toBe("connected");
    // each of these is another HTTP request (POST, then the GET that carries the ack) on the same session id
    for (let i = 0; i < LIMITS.connections * 2; i++) {
      const ack = await sendRaw(polling, { content: "" });
      expect(ack.ok).toBe(false);
    }
    // 1 handshake used so far: the rest of the budget is still there
    for (let i = 1; i < LIMITS.connections; i++) (await connected(token, from)).disconnect();
    const over = ioFrom(server.url, from, { transports: ["websocket"], auth: { token } });
    sockets.push(over);
    expect(await connectOutcome(over)).toMatch(/^connect_error/);
    expect(polling.connected).toBe(true);
  });

  it("a refused handshake is answered quickly (no hanging connection)", async () => {
    const from = freshLoopback();
    for (let i = 0; i < LIMITS.connections; i++) {
      expect((await rawRequest(server.url, "/socket.io/?EIO=4&transport=polling", { localAddress: from })).status).toBe(
        200,
      );
    }
    const refused = rawRequest(server.url, "/socket.io/?EIO=4&transport=polling", { localAddress: from });
    expect(await settlesWithin(refused, 2000)).toBe(true);
    expect((await refused).status).not.toBe(200);
  });
});
