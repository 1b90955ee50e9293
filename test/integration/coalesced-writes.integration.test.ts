// A socket.io connection's queued packets go out in one system call (lib/realtime/coalesced-writes.ts): a
// burst of messages committed together reaches a watcher in fewer `writev`s than frames, every message once
// and in order.
import { Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { collectMessages, nextEvent, startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const BURST = 60;

describe("coalesced writes", () => {
  it("a burst of messages reaches a watcher in fewer writes than frames, each once and in order", async () => {
    const [senderToken, watcherToken] = [await server.token("burster"), await server.token("burstwatcher")];
    const sender = server.connect({ token: senderToken });
    const watcher = server.connect({ token: watcherToken });
    await Promise.all([nextEvent(sender, "history"), nextEvent(watcher, "history")]);
    const arriving = collectMessages(watcher, BURST);

    // every writev this process makes on a TCP socket meanwhile (the call goes through)
    const writev = vi.spyOn(Socket.prototype, "_writev");
    const acks = await Promise.all(
      Array.from({ length: BURST }, (_, i) => sender.emitWithAck("message:send", { content: `burst ${i}` })),
    );
    const got = await arriving;
    // the server's writes only (their local port is the server's), not the clients' in this same process
    const port = Number(new URL(server.url).port);
    const buffersPerWritev = writev.mock.calls
      .filter((_, i) => (writev.mock.contexts[i] as Socket).localPort === port)
      .map(([chunks]) => chunks.length);
    writev.mockRestore();

    expect(acks.every((a) => a.ok)).toBe(true);
    expect(got.map((m) => m.content)).toEqual(Array.from({ length: BURST }, (_, i) => `burst ${i}`));
    expect(new Set(got.map((m) => m.id)).size).toBe(BURST);
    // a frame is two buffers (header, payload): more than two is several frames in one system call
    expect(Math.max(...buffersPerWritev)).toBeGreaterThan(2);
    sender.disconnect();
    watcher.disconnect();
  });
});
