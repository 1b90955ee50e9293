// The real server.ts as its own process (the production build that `npm start` made): a restart keeps
// users, messages and sessions; SIGTERM shuts down cleanly; a bad setting stops start-up with a clear message.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test, expect } from "@playwright/test";
import { io } from "socket.io-client";
import type { Ack, HistoryPayload, LoginResponse, Message, MessagesResponse } from "../lib/protocol";

const PORT = 8191;
const base = `http://127.0.0.1:${PORT}`;

function startServer(dataDir: string, env: Record<string, string> = {}): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(PORT),
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${path.join(dataDir, "lifecycle.db")}`,
      BCRYPT_COST: "10",
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

async function waitHealthy(): Promise<void> {
  await expect
    .poll(async () => (await fetch(`${base}/api/health`).catch(() => undefined))?.status, { timeout: 30_000 })
    .toBe(200);
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

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
    expect(await exited(server.child)).toBe(0);
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
    await exited(server.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("a bad setting stops start-up with a message naming it", async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "chatterbox-lifecycle-"));
  try {
    const server = startServer(dataDir, { PORT: "eighty", BCRYPT_COST: "4" });
    expect(await exited(server.child)).toBe(1);
    expect(server.output()).toMatch(/Invalid configuration/);
    expect(server.output()).toMatch(/PORT/);
    expect(server.output()).toMatch(/BCRYPT_COST: must be at least 10/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
