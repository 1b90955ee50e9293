// Issue 4, point 1: sessions expire after SESSION_TTL seconds without use, and every use slides the expiry.
// Runs the real server with SESSION_TTL=2 and checks every transport that takes a token.
import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getMessages } from "../helpers/http";
import { connectOutcome, ioFrom, sleep } from "../helpers/security";
import { sqliteDate } from "../helpers/sqlite";
import { startTestServer, type TestServer, type TestSocket } from "../helpers/test-server";
import { openWs, refusedStatus } from "../helpers/ws-client";
import { dbAll } from "../helpers/db";

const TTL_SECONDS = 2;
/** comfortably past the TTL, for a loaded machine */
const PAST_TTL_MS = TTL_SECONDS * 1000 + 700;

let server: TestServer;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  server = await startTestServer({ env: { SESSION_TTL: String(TTL_SECONDS) } });
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
});
afterAll(async () => {
  await server.close();
});

async function socketOutcome(token: string): Promise<string> {
  const socket = ioFrom(server.url, undefined, { transports: ["websocket"], auth: { token } });
  sockets.push(socket);
  const outcome = await connectOutcome(socket);
  socket.disconnect();
  return outcome;
}

const expiresAt = async (token: string): Promise<Date> => {
  const hash = createHash("sha256").update(token).digest("hex");
  const [row] = await dbAll<{ expiresAt: unknown }>(server, "SELECT expiresAt FROM Session WHERE tokenHash = ?", hash);
  if (!row) throw new Error("no session row");
  return sqliteDate(row.expiresAt);
};

// the two scenarios wait on the clock, so they run side by side
describe.concurrent(`SESSION_TTL=${TTL_SECONDS}`, () => {
  it("the login cookie's Max-Age is the TTL", async () => {
    await server.token("ttl_cookie");
    const res = await server.post("/login", { username: "ttl_cookie", password: "correct horse battery" });
    expect(res.headers.getSetCookie()[0]).toMatch(new RegExp(`Max-Age=${TTL_SECONDS}(;|$)`));
  });

  it("an unused token is refused once the TTL has passed: REST 401, socket.io unauthorized, /ws 401", async () => {
    const token = await server.token("ttl_idle");
    const issued = Date.now();
    expect((await expiresAt(token)).getTime() - issued).toBeLessThanOrEqual(TTL_SECONDS * 1000);
    expect((await getMessages(server.url, {}, { token })).status).toBe(200);

    await sleep(PAST_TTL_MS - (Date.now() - issued));
    const res = await getMessages(server.url, {}, { token });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/expired|invalid/i);
    expect(await socketOutcome(token)).toBe("connect_error: unauthorized");
    expect(await refusedStatus(server.url, { token })).toBe(401);
  });

  it("a token used more often than the TTL lives on past several TTLs, then expires once left idle", async () => {
    const token = await server.token("ttl_busy");
    const started = Date.now();
    // use it every ~400 ms over 2.5 TTLs, alternating transports: each use slides the expiry forward
    let uses = 0;
    while (Date.now() - started < TTL_SECONDS * 2500) {
      if (uses % 3 === 0) expect((await getMessages(server.url, {}, { token })).status).toBe(200);
      if (uses % 3 === 1) expect(await socketOutcome(token)).toBe("connected");
      if (uses % 3 === 2) {
        const ws = await openWs(server.url, { token });
        await ws.close();
      }
      uses++;
      await sleep(400);
    }
    expect(uses).toBeGreaterThanOrEqual(6);
    expect(Date.now() - started).toBeGreaterThan(TTL_SECONDS * 2500);
    // still valid now, long after the first expiry would have passed, and its expiry lies ahead
    expect((await getMessages(server.url, {}, { token })).status).toBe(200);
    expect((await expiresAt(token)).getTime()).toBeGreaterThan(Date.now());

    const lastUse = Date.now();
    await sleep(PAST_TTL_MS - (Date.now() - lastUse));
    expect((await getMessages(server.url, {}, { token })).status).toBe(401);
    expect(await socketOutcome(token)).toBe("connect_error: unauthorized");
  });
});
