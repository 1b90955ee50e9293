// docs/OPERATIONS.md's nginx config, run for real: Debian's nginx (CI installs it, .ci/run) on a free
// loopback port with the documented upstream, map and proxy directives (plain HTTP here, the TLS lines left
// out; the upstream's port and a temporary prefix filled in), in front of a test server with TRUST_PROXY.
// Checks plain HTTP, socket.io (long-polling upgraded to WebSocket) and /ws, each with a message round trip.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/protocol";
import { nextEvent, startTestServer, type TestServer } from "../helpers/test-server";
import { openWs } from "../helpers/ws-client";
import type { Socket } from "socket.io-client";

const DOC = new URL("../../docs/OPERATIONS.md", import.meta.url);
const NGINX = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"].find((p) => existsSync(p));

/** The ```nginx block of OPERATIONS.md: its upstream and map blocks, and the lines between the proxy markers. */
function documentedConfig(upstreamPort: number): { upstream: string; proxy: string } {
  const doc = readFileSync(DOC, "utf8");
  const block = /```nginx\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error("docs/OPERATIONS.md has no nginx block");
  const upstream = /upstream chatterbox \{[\s\S]*?\n\}\n\n[\s\S]*?map [\s\S]*?\n\}\n/.exec(block)?.[0];
  const proxy = /# proxy begin\n([\s\S]*?)# proxy end/.exec(block)?.[1];
  if (!upstream || !proxy) throw new Error("the nginx block lost its upstream/map or its proxy markers");
  if (!upstream.includes("127.0.0.1:8000")) throw new Error("the documented upstream is not 127.0.0.1:8000");
  return { upstream: upstream.replace("127.0.0.1:8000", `127.0.0.1:${upstreamPort}`), proxy };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

let server: TestServer;
let prefix: string;
let nginx: ChildProcess;
let proxyUrl: string;
let nginxLog = "";

beforeAll(async () => {
  if (!NGINX) {
    throw new Error(
      "nginx is not installed: this test runs docs/OPERATIONS.md's config with Debian's nginx. " +
        "Install it (apt-get install nginx; .ci/run does) and run again.",
    );
  }
  server = await startTestServer({ env: { TRUST_PROXY: "true" } });
  prefix = mkdtempSync(path.join(tmpdir(), "chatterbox-nginx-"));
  mkdirSync(path.join(prefix, "temp"));
  const port = await freePort();
  const { upstream, proxy } = documentedConfig(Number(new URL(server.url).port));
  const temp = (name: string) => `${name}_temp_path ${path.join(prefix, "temp", name)};`;
  writeFileSync(
    path.join(prefix, "nginx.conf"),
    [
      `pid ${path.join(prefix, "nginx.pid")};`,
      `error_log ${path.join(prefix, "error.log")} warn;`,
      "worker_processes 1;",
      "events { worker_connections 256; }",
      "http {",
      "  access_log off;",
      ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((n) => `  ${temp(n)}`),
      upstream,
      `server {\n  listen 127.0.0.1:${port};\n  server_name localhost;\n${proxy}}`,
      "}",
    ].join("\n"),
  );
  nginx = spawn(NGINX, ["-p", prefix, "-e", path.join(prefix, "error.log"), "-c", "nginx.conf", "-g", "daemon off;"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  nginx.stderr?.setEncoding("utf8").on("data", (c: string) => (nginxLog += c));
  proxyUrl = `http://127.0.0.1:${port}`;
  // ready once it answers through to the server
  for (let tries = 0; ; tries++) {
    const answered = await fetch(`${proxyUrl}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (answered) break;
    if (tries > 100 || nginx.exitCode !== null) throw new Error(`nginx did not come up:\n${nginxLog}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 30_000);

afterAll(async () => {
  if (nginx?.pid !== undefined && nginx.exitCode === null) {
    const exited = new Promise((resolve) => nginx.once("exit", resolve));
    process.kill(nginx.pid, "SIGTERM"); // the master we started, by its own PID
    await exited;
  }
  await server?.close();
  if (prefix) rmSync(prefix, { recursive: true, force: true });
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
