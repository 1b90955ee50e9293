// Connection limits (issue 18): MAX_SOCKETS_PER_USER closes that user's oldest socket (either transport),
// never the new one; past MAX_CONNECTIONS a request or upgrade is answered 503 with Retry-After.
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RETRY_AFTER_SECONDS } from "@/lib/server/http-limits";
import { record, waitConnected, waitDisconnect, waitUntil } from "../helpers/socket-utils";
import { startTestServer, type TestServer } from "../helpers/test-server";
import { openWs, refusedStatus } from "../helpers/ws-client";

const MAX_CONNECTIONS = 12;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    // idle keep-alive connections of the test's own fetches go away quickly
    env: { MAX_SOCKETS_PER_USER: "3", MAX_CONNECTIONS: String(MAX_CONNECTIONS), KEEPALIVE_TIMEOUT_MS: "500" },
  });
});
afterAll(() => server?.close());

describe("MAX_SOCKETS_PER_USER", () => {
  it("closes the user's oldest socket, whichever transport, and leaves the new one and other users alone", async () => {
    const token = await server.token("many");
    const other = server.connect({ token: await server.token("bystander") });
    await waitConnected(other);

    const ws1 = await openWs(server.url, { token });
    const sio1 = server.connect({ token });
    await waitConnected(sio1);
    const ws2 = await openWs(server.url, { token });
    const sio1Errors = record(sio1, "error");

    // a 4th: the oldest (ws1) goes
    const sio2 = server.connect({ token });
    await waitConnected(sio2);
    expect(await ws1.closed).toEqual({ code: 1008, reason: "too many connections" });
    expect(server.counters.socketsOverUserCap).toBe(1);

    // a 5th: now sio1 is the oldest
    const sio1Gone = waitDisconnect(sio1);
    const ws3 = await openWs(server.url, { token });
    expect(await sio1Gone).toBe("io server disconnect");
    await waitUntil(() => sio1Errors.length > 0, 2000, "the error event");
    expect(sio1Errors[0]?.detail).toMatch(/more than 3 connections/);
    expect(server.counters.socketsOverUserCap).toBe(2);

    // the three newest are open and working, and so is the other user's
    expect(ws2.ws.readyState).toBe(ws2.ws.OPEN);
    expect(ws3.ws.readyState).toBe(ws3.ws.OPEN);
    expect(sio2.connected).toBe(true);
    expect(other.connected).toBe(true);

    // a closed socket frees its place: a new one closes nothing
    await ws2.close();
    await new Promise((r) => setTimeout(r, 100));
    const sio3 = server.connect({ token });
    await waitConnected(sio3);
    expect(server.counters.socketsOverUserCap).toBe(2);
    for (const s of [sio2, sio3, other]) s.disconnect();
    await ws3.close();
  });
});

/** Opens a TCP connection and sends one keep-alive request: the status line and headers it gets back. */
function requestOn(socket: Socket, pathname = "/api/health"): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = "";
    const onData = (chunk: Buffer) => {
      got += chunk.toString("latin1");
      if (got.includes("\r\n\r\n")) {
        socket.off("data", onData);
        resolve(got.split("\r\n\r\n")[0]!);
      }
    };
    socket.on("data", onData);
    socket.once("error", reject);
    socket.write(`GET ${pathname} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  });
}

const open = (url: string): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const { port } = new URL(url);
    const s = connect(Number(port), "127.0.0.1", () => resolve(s));
    s.once("error", reject);
  });

describe("MAX_CONNECTIONS", () => {
  it("answers connections past the cap with 503 + Retry-After (requests and upgrades), and recovers", async () => {
    const token = await server.token("crowd");
    await new Promise((r) => setTimeout(r, 700)); // the test's own idle keep-alive connections have closed
    const held: Socket[] = [];
    let refusal: string | undefined;
    for (let i = 0; i < MAX_CONNECTIONS + 2 && !refusal; i++) {
      const s = await open(server.url);
      const head = await requestOn(s);
      if (head.startsWith("HTTP/1.1 200")) held.push(s);
      else refusal = head;
    }
    // the test's own connections (sockets of the previous test, if any) count too: at most the cap are held
    expect(held.length).toBeGreaterThan(MAX_CONNECTIONS - 3);
    expect(held.length).toBeLessThanOrEqual(MAX_CONNECTIONS);
    expect(refusal).toMatch(/^HTTP\/1\.1 503/);
    expect(refusal?.toLowerCase()).toContain(`retry-after: ${RETRY_AFTER_SECONDS}`);
    expect(await refusedStatus(server.url, { token })).toBe(503);
    expect(server.counters.connectionsRefused).toBeGreaterThanOrEqual(2);

    // one leaves: a newcomer gets in (its socket works too)
    held.pop()!.destroy();
    await new Promise((r) => setTimeout(r, 100));
    const ws = await openWs(server.url, { token });
    await ws.nextOf("history");
    await ws.close();
    for (const s of held) s.destroy();
  });
});
