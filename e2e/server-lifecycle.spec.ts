// The real server as its own process (dist/server.js, which `npm start` compiled): a restart keeps
// users, messages and sessions; SIGTERM shuts down cleanly; a bad setting stops start-up with a clear message.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test, expect } from "@playwright/test";
import { io } from "socket.io-client";
import type { Ack, HistoryPayload, LoginResponse, Message, MessagesResponse } from "../lib/protocol";
import { freePort, startServer as spawnServer, waitHealthy as healthy } from "./support/server-process";

// a server of its own beside the suite's, on a port the OS finds free (kept across its restarts), so that
// suites in two checkouts can run side by side
let PORT = 0;
let base = "";
test.beforeAll(async () => {
  PORT = await freePort();
  base = `http://127.0.0.1:${PORT}`;
});

const startServer = (dataDir: string, env: Record<string, string> = {}) => spawnServer(PORT, dataDir, env);
const waitHealthy = () => healthy(base);

const post = (p: string, body: unknown, token?: string) =>
  fetch(base + p, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

test.describe.configure({ mode: "serial" });

test("restart keeps users, messages and sessions; SIGTERM exits cleanly", async () => {
  test.setTimeout(120_000);
  const dataDir = mkdtempSync(path.join(tmpdir(), "chatterbox-lifecycle-"));
  let server = startServer(dataDir);
  try {
    await waitHealthy();
    expect((await post("/register", { username: "persist", password: "persistent pw" })).status).toBe(200);
    const { token } = (await (
      await post("/login", { username: "persist", password: "persistent pw" })
    ).json()) as LoginResponse;

    const socket = io(base, { auth: { token }, transports: ["websocket"] });
    const ack = (await socket.emitWithAck("message:send", {
      content: "still here after a restart",
      clientId: crypto.randomUUID(),
    })) as Ack<{ message: Message }>;
    expect(ack.ok).toBe(true);
    socket.disconnect();

    // graceful shutdown
    server.child.kill("SIGTERM");
    expect(await server.exited()).toBe(0);
    expect(server.output()).toContain("SIGTERM: shutting down");

    // same database, new process: the session token still works and the message is there
    server = startServer(dataDir);
    await waitHealthy();
    const res = await fetch(`${base}/api/messages`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const { messages } = (await res.json()) as MessagesResponse;
    expect(messages.map((m) => m.content)).toContain("still here after a restart");

    const again = io(base, { auth: { token }, transports: ["websocket"] });
    const history = await new Promise<HistoryPayload>((resolve) => again.once("history", resolve));
    expect(history.messages.at(-1)).toMatchObject({ username: "persist", content: "still here after a restart" });
    again.disconnect();
    expect((await post("/login", { username: "persist", password: "persistent pw" })).status).toBe(200);
  } finally {
    server.child.kill("SIGTERM");
    await server.exited();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("a bad setting stops start-up with a message naming it", async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "chatterbox-lifecycle-"));
  try {
    const server = startServer(dataDir, { PORT: "eighty", BCRYPT_COST: "4" });
    expect(await server.exited()).toBe(1);
    expect(server.output()).toMatch(/Invalid configuration/);
    expect(server.output()).toMatch(/PORT/);
    expect(server.output()).toMatch(/BCRYPT_COST: must be at least 10/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
