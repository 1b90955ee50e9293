// Idle memory (issue 17): a socket.io connection lets go of its upgrade request once it is admitted
// (lib/realtime/upgrade-request.ts) — engine.io would otherwise keep it, twice, as long as the connection —
// and works on without it: messages, the session cookie's handshake, disconnects.
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { cookiePair } from "../helpers/http";
import { send, waitConnected, waitUntil } from "../helpers/socket-utils";
import { nextEvent, startTestServer, type TestServer } from "../helpers/test-server";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

async function collect(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
}

describe("a socket.io connection's upgrade request", () => {
  it("is garbage once the connection is admitted, and the connections go on working", async () => {
    const requests: WeakRef<IncomingMessage>[] = [];
    const track = (req: IncomingMessage) => void requests.push(new WeakRef(req));
    server.httpServer.on("upgrade", track);
    const token = await server.token("upgrade_mem");
    const sockets = Array.from({ length: 5 }, () => server.connect({ token }));
    await Promise.all(sockets.map((s) => Promise.all([waitConnected(s), nextEvent(s, "history")])));
    server.httpServer.off("upgrade", track);
    expect(requests).toHaveLength(5);

    await collect();
    expect(requests.filter((r) => r.deref() !== undefined)).toHaveLength(0);

    const delivered = nextEvent(sockets[4]!, "message:new");
    const ack = await send(sockets[0]!, { room: "general", content: "still here", clientId: randomUUID() });
    expect(ack).toMatchObject({ ok: true });
    expect((await delivered).content).toBe("still here");
    for (const s of sockets) s.disconnect();
    await waitUntil(() => sockets.every((s) => !s.connected));
  });

  it("leaves a second socket on the same connection its handshake: the session cookie still admits it", async () => {
    await server.token("upgrade_cookie"); // registers
    const login = await server.post("/login", { username: "upgrade_cookie", password: "correct horse battery" });
    const cookie = cookiePair(login.headers.getSetCookie().find((c) => c.startsWith("chatterbox_session="))!);
    // socket.io's wire protocol by hand: engine.io's open packet, then two CONNECTs to "/" on one connection
    const ws = new WebSocket(`${server.url.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`, {
      headers: { cookie },
    });
    const frames: string[] = [];
    ws.on("message", (data: Buffer) => frames.push(data.toString()));
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    await waitUntil(() => frames.some((f) => f.startsWith("0{")));
    ws.send("40");
    await waitUntil(() => frames.some((f) => f.startsWith("40{")));
    // leaves "/" (socket.io handles that on the next tick) and opens it again: a new socket, made after the
    // first was admitted and its upgrade request let go
    ws.send("41");
    await new Promise((r) => setTimeout(r, 100));
    ws.send("40");
    await waitUntil(() => frames.filter((f) => f.startsWith("40{")).length === 2);
    expect(frames.filter((f) => f.startsWith("44"))).toEqual([]); // no connect_error
    ws.close();
  });
});
