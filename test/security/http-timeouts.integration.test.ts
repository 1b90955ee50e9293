// Timeouts that keep a client from pinning connections (issue 18): headers trickled or never sent are cut
// off after HEADERS_TIMEOUT_MS, an idle keep-alive connection after KEEPALIVE_TIMEOUT_MS — and a socket whose
// backlog lasts SLOW_CLIENT_MAX_MS is cut off even below SLOW_CLIENT_MAX_BYTES (the sustained-backlog rule).
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitUntil } from "../helpers/socket-utils";
import { startTestServer, type TestServer } from "../helpers/test-server";
import { openWs } from "../helpers/ws-client";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    env: {
      HEADERS_TIMEOUT_MS: "1000",
      REQUEST_TIMEOUT_MS: "2000",
      KEEPALIVE_TIMEOUT_MS: "1500",
      SLOW_CLIENT_MAX_BYTES: String(1024 * 1024 * 1024),
      SLOW_CLIENT_MAX_MS: "1500",
    },
  });
});
afterAll(() => server?.close());

/** A raw TCP connection: what it received and when it closed (ms after opening). */
function rawConnection(url: string): Promise<{ socket: Socket; received: () => string; closedAfter: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    let received = "";
    const socket = connect(Number(new URL(url).port), "127.0.0.1");
    socket.on("data", (c: Buffer) => (received += c.toString("latin1")));
    socket.once("error", reject);
    const closedAfter = new Promise<number>((r) => socket.once("close", () => r(Date.now() - t0)));
    socket.once("connect", () => resolve({ socket, received: () => received, closedAfter }));
  });
}

describe("HTTP timeouts", () => {
  it("cuts off a client that trickles its headers, and one that sends nothing", async () => {
    const trickler = await rawConnection(server.url);
    trickler.socket.write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    const drip = setInterval(() => trickler.socket.writable && trickler.socket.write("X-Drip: 1\r\n"), 200);
    const silent = await rawConnection(server.url);
    try {
      const [a, b] = await Promise.all([trickler.closedAfter, silent.closedAfter]);
      for (const ms of [a, b]) {
        expect(ms).toBeGreaterThanOrEqual(900);
        expect(ms).toBeLessThan(3000);
      }
      expect(trickler.received()).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(drip);
    }
  });

  it("closes an idle keep-alive connection after KEEPALIVE_TIMEOUT_MS, not before", async () => {
    const c = await rawConnection(server.url);
    c.socket.write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    await waitUntil(() => c.received().startsWith("HTTP/1.1 200"), 2000, "the response");
    const idleFrom = Date.now();
    await c.closedAfter;
    const idleMs = Date.now() - idleFrom;
    expect(idleMs).toBeGreaterThanOrEqual(1200);
    expect(idleMs).toBeLessThan(3500);
  });
});

describe("sustained backlog", () => {
  it("cuts off a /ws socket whose backlog lasts SLOW_CLIENT_MAX_MS, however small", async () => {
    const token = await server.token("dawdler");
    const identity = (await server.services.auth.authenticate(await server.token("talker")))!;
    const slow = await openWs(server.url, { token });
    await slow.nextOf("history");
    (slow.ws as unknown as { _socket: Socket })._socket.pause();
    // enough to fill the kernel's buffers on both ends, so that some stays queued in the server
    const content = "y".repeat(2000);
    for (let i = 0; i < 30; i++) {
      await Promise.all(Array.from({ length: 200 }, () => server.services.messages.send(identity, { content })));
    }
    const filledAt = Date.now();
    await waitUntil(() => server.counters.slowClientsDisconnected === 1, 5000, "the cut-off");
    const ms = Date.now() - filledAt;
    expect(ms).toBeLessThan(3500); // 1.5 s of backlog, seen by sweeps 1 s apart
    (slow.ws as unknown as { _socket: Socket })._socket.resume();
    expect([1006, 1013]).toContain((await slow.closed).code);
    expect(slow.ws.readyState).toBe(slow.ws.CLOSED);
  });
});
