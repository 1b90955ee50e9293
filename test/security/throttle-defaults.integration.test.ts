// The shipped throttles, at the values README states (Security: 60 messages per user per 10 s, 20
// registrations per address per hour, 300 socket handshakes per address per minute, 10 failed logins per
// account and address per minute): a real server with no THROTTLE_* set (an empty variable means "not set",
// so the test server's raised limits give way to the defaults). Each limit is hit from one address or user;
// one more is refused with 429 + Retry-After (rate_limited for messages) and nothing extra is stored.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectOutcome, freshLoopback, ioFrom, postFrom, uniqueName, type RawResponse } from "../helpers/security";
import { send } from "../helpers/socket-utils";
import { startTestServer, type TestServer, type TestSocket } from "../helpers/test-server";
import { refusedStatus } from "../helpers/ws-client";
import { dbNumber } from "../helpers/db";

const README_DEFAULTS = { messages: 60, registrations: 20, connections: 300, logins: 10 };
const PASSWORD = "correct horse battery";

let server: TestServer;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  server = await startTestServer({
    env: { THROTTLE_LOGINS: "", THROTTLE_REGISTRATIONS: "", THROTTLE_MESSAGES: "", THROTTLE_CONNECTIONS: "" },
  });
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server.close();
});

function expectThrottled(res: RawResponse, maxRetryAfter: number): void {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers["retry-after"]);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= maxRetryAfter).toBe(true);
}

const register = (username: string, from: string) =>
  postFrom(server.url, "/register", { username, password: PASSWORD }, { localAddress: from });

async function socketFor(username: string): Promise<TestSocket> {
  const from = freshLoopback();
  expect((await register(username, from)).status).toBe(200);
  const login = await postFrom(server.url, "/login", { username, password: PASSWORD }, { localAddress: from });
  const socket = ioFrom(server.url, from, { transports: ["websocket"], auth: { token: login.json().token } });
  sockets.push(socket);
  expect(await connectOutcome(socket)).toBe("connected");
  return socket;
}

describe("default throttles", () => {
  it(`${README_DEFAULTS.messages} messages per user per 10 s: all stored; the next is rate_limited and not stored`, async () => {
    const socket = await socketFor(uniqueName("chatty"));
    const acks = await Promise.all(
      Array.from({ length: README_DEFAULTS.messages }, (_, i) => send(socket, { content: `m ${i}` })),
    );
    expect(acks.filter((a) => !a.ok)).toEqual([]);
    const over = await send(socket, { content: "one too many" });
    expect(over).toEqual({
      ok: false,
      error: { code: "rate_limited", detail: expect.stringMatching(/try again in ([1-9]|10) s/) as unknown },
    });
    const stored = await dbNumber(server, "SELECT count(*) FROM Message WHERE content LIKE 'm %'");
    expect(stored).toBe(README_DEFAULTS.messages);
    expect(await dbNumber(server, "SELECT count(*) FROM Message WHERE content = 'one too many'")).toBe(0);
  });

  it(`${README_DEFAULTS.registrations} registrations per address per hour: the next is 429 and creates no user`, async () => {
    const from = freshLoopback();
    for (let i = 0; i < README_DEFAULTS.registrations; i++) {
      expect((await register(uniqueName("reg"), from)).status).toBe(200);
    }
    const refused = uniqueName("reg_over");
    expectThrottled(await register(refused, from), 3600);
    expect(await dbNumber(server, "SELECT count(*) FROM User WHERE usernameKey = ?", refused)).toBe(0);
    expect((await register(refused, freshLoopback())).status).toBe(200);
  });

  it(`${README_DEFAULTS.logins} failed logins per account and address per minute: the next is 429, even with the right password`, async () => {
    const username = uniqueName("guessed");
    expect((await register(username, freshLoopback())).status).toBe(200);
    const from = freshLoopback();
    const attempt = (password: string) =>
      postFrom(server.url, "/login", { username, password }, { localAddress: from });
    for (let i = 0; i < README_DEFAULTS.logins; i++) expect((await attempt(`wrong ${i} pw`)).status).toBe(401);
    expectThrottled(await attempt(PASSWORD), 60);
  });

  it(`${README_DEFAULTS.connections} socket handshakes per address per minute: the next /ws is 429, socket.io refused`, async () => {
    const from = freshLoopback();
    // a bad token still costs a handshake (the throttle comes first), and holds no socket open
    for (let i = 0; i < README_DEFAULTS.connections; i++) {
      expect(await refusedStatus(server.url, { token: "not-a-token" }, { localAddress: from })).toBe(401);
    }
    expect(await refusedStatus(server.url, { token: "not-a-token" }, { localAddress: from })).toBe(429);
    const late = ioFrom(server.url, from, { transports: ["websocket"] });
    sockets.push(late);
    expect(await connectOutcome(late)).toMatch(/^connect_error/);
    // another address is unaffected
    expect(await refusedStatus(server.url, { token: "not-a-token" }, { localAddress: freshLoopback() })).toBe(401);
  });
});
