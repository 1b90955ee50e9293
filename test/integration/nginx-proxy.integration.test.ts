// docs/OPERATIONS.md's nginx config, run for real: Debian's nginx (CI installs it, .ci/run) on a free
// loopback port with the documented upstream, map and proxy directives (plain HTTP here, the TLS lines left
// out; the upstream's port and a temporary prefix filled in), in front of a test server with TRUST_PROXY.
// Checks plain HTTP, socket.io (long-polling upgraded to WebSocket) and /ws, each with a message round trip.
import { io } from "socket.io-client";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/protocol";
import { documentedBlock, startNginx, type TestNginx } from "../helpers/nginx";
import { nextEvent, startTestServer, type TestServer } from "../helpers/test-server";
import { openWs } from "../helpers/ws-client";
import type { Socket } from "socket.io-client";

const DOC = new URL("../../docs/OPERATIONS.md", import.meta.url);

/** The ```nginx block of OPERATIONS.md: its upstream and map blocks (with the server's port), and the proxy lines. */
function documentedConfig(upstreamPort: number): { http: string; server: string } {
  const block = /```nginx\n([\s\S]*?)```/.exec(readFileSync(DOC, "utf8"))?.[1];
  if (!block) throw new Error("docs/OPERATIONS.md has no nginx block");
  const upstream = /upstream chatterbox \{[\s\S]*?\n\}\n\n[\s\S]*?map [\s\S]*?\n\}\n/.exec(block)?.[0];
  if (!upstream) throw new Error("the nginx block lost its upstream/map");
  if (!upstream.includes("127.0.0.1:8000")) throw new Error("the documented upstream is not 127.0.0.1:8000");
  return {
    http: upstream.replace("127.0.0.1:8000", `127.0.0.1:${upstreamPort}`),
    server: documentedBlock(DOC, "proxy"),
  };
}

let server: TestServer;
let nginx: TestNginx;
let proxyUrl: string;

beforeAll(async () => {
  server = await startTestServer({ env: { TRUST_PROXY: "true" } });
  nginx = await startNginx(documentedConfig(Number(new URL(server.url).port)));
  proxyUrl = nginx.url;
}, 30_000);

afterAll(async () => {
  await nginx?.stop();
  await server?.close();
});

describe("the documented nginx config", () => {
  it("passes plain HTTP through: status, register and login", async () => {
    const status = await fetch(`${proxyUrl}/`, { headers: { accept: "application/json" } });
    expect(status.status).toBe(200);
    expect(await status.json()).toEqual({ status: "Server is running" });
    const body = JSON.stringify({ username: "proxied", password: "correct horse battery" });
    const headers = { "content-type": "application/json" };
    expect((await fetch(`${proxyUrl}/register`, { method: "POST", headers, body })).status).toBe(200);
    const login = await fetch(`${proxyUrl}/login`, { method: "POST", headers, body });
    expect(login.status).toBe(200);
    expect(((await login.json()) as { token: string }).token).toEqual(expect.any(String));
  });

  it("carries socket.io (long-polling, then the WebSocket upgrade) with a message round trip", async () => {
    const token = await server.token("sockie");
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(proxyUrl, {
      auth: { token },
      reconnection: false,
    });
    try {
      await nextEvent(socket as never, "history");
      await new Promise<void>((resolve) =>
        socket.io.engine.transport.name === "websocket" ? resolve() : socket.io.engine.once("upgrade", () => resolve()),
      );
      expect(socket.io.engine.transport.name).toBe("websocket");
      const echoed = nextEvent(socket as never, "message:new");
      const ack = await socket.emitWithAck("message:send", { content: "through nginx" });
      expect(ack.ok).toBe(true);
      expect(await echoed).toMatchObject({ content: "through nginx", username: "sockie" });
    } finally {
      socket.disconnect();
    }
  });

  it("carries the plain WebSocket /ws with a message round trip", async () => {
    const ws = await openWs(proxyUrl, { token: await server.token("wsuser") });
    try {
      await ws.nextOf("history");
      ws.sendJson({ content: "ws through nginx" });
      const frame = await ws.next((f) => f.type === "message" && f.content === "ws through nginx");
      expect(frame).toMatchObject({ username: "wsuser" });
    } finally {
      await ws.close();
    }
  });
});
