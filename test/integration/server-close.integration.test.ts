// Stopping the server never hangs on a client: a request still in flight when it closes (here one whose
// headers never finish arriving) gets a short grace period, then its connection is closed
// (lib/server/create-chat-server.ts, CLOSE_GRACE_MS). Before, `npm start` stopped by Ctrl-C could wait for
// the header timeout and then be killed by the shutdown's own 10 s deadline.
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { startTestServer } from "../helpers/test-server";

describe("closing the server", () => {
  it("closes a connection with a request in flight after a short grace period", async () => {
    const server = await startTestServer({ env: { HEADERS_TIMEOUT_MS: "20000", REQUEST_TIMEOUT_MS: "30000" } });
    const { port } = new URL(server.url);
    const socket = connect(Number(port), "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    const ended = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // the blank line never comes
    await new Promise((r) => setTimeout(r, 100)); // the server has read it

    const started = Date.now();
    await server.close();
    const took = Date.now() - started;
    await ended;
    expect(took).toBeGreaterThanOrEqual(1500); // it had its grace period
    expect(took).toBeLessThan(5000); // and no more
  });
});
