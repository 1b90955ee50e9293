// Presence changes are gathered and sent to each socket in one write (lib/realtime/presence-fanout.ts): a
// burst of users coming online and going offline reaches every socket, each change once and in order, over
// WebSocket (pre-encoded frames back to back) and long-polling (engine.io's own batching).
import { io as ioClient } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PresenceEvent } from "@/lib/protocol";
import { record, waitUntil } from "../helpers/socket-utils";
import { nextEvent, startTestServer, type TestServer, type TestSocket } from "../helpers/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const BURST = 40;

async function watcher(name: string, transport: "websocket" | "polling"): Promise<TestSocket> {
  const token = await server.token(name);
  const socket: TestSocket = ioClient(server.url, { auth: { token }, transports: [transport], reconnection: false });
  await nextEvent(socket, "history");
  return socket;
}

const changesOf = (events: PresenceEvent[], names: Set<string>) =>
  events.filter((e) => names.has(e.username)).map((e) => `${e.username}:${e.online ? "on" : "off"}`);

describe("presence fan-out", () => {
  it("a burst of users coming and going reaches WebSocket and long-polling sockets, each change once", async () => {
    const [ws, polling] = [await watcher("fanws", "websocket"), await watcher("fanpoll", "polling")];
    const seen = [record(ws, "presence"), record(polling, "presence")];
    const names = Array.from({ length: BURST }, (_, i) => `burst${i}`);
    const tokens = await Promise.all(names.map((n) => server.token(n)));
    const all = new Set(names);

    const sockets = tokens.map((token) => server.connect({ token }));
    await Promise.all(sockets.map((s) => nextEvent(s, "history")));
    const online = names.map((n) => `${n}:on`).sort();
    await waitUntil(() => seen.every((s) => changesOf(s, all).length >= BURST), 5000, "every online event");
    for (const s of seen) expect(changesOf(s, all).sort()).toEqual(online);

    for (const s of sockets) s.disconnect();
    await waitUntil(() => seen.every((s) => changesOf(s, all).length >= 2 * BURST), 8000, "every offline event");
    for (const s of seen) {
      const changes = changesOf(s, all);
      expect(changes).toHaveLength(2 * BURST);
      expect(changes.slice(BURST).sort()).toEqual(names.map((n) => `${n}:off`).sort());
    }
    ws.disconnect();
    polling.disconnect();
  });
});
