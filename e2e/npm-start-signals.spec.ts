// `npm start` under a supervisor: systemd, Docker and process managers signal npm's PID, not its process
// group. The server must then shut down gracefully (exit 0), free its port and leave no process behind
// within 10 s, for SIGTERM and for SIGINT; a second signal during shutdown must not hang it.
// (A `sh -c` between npm and node once dropped the signal: npm stopped, the server stayed, listening.)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test, expect } from "@playwright/test";
import { io } from "socket.io-client";
import type { LoginResponse } from "../lib/protocol";
import { freePort } from "../bench/lib/procs";
import { descendants, isAlive, isListening, npmStart, type NpmStart } from "./support/npm-start";

const STOP_WITHIN_MS = 10_000;

test.describe.configure({ mode: "serial" });

interface Started {
  run: NpmStart;
  base: string;
  port: number;
  /** npm's PID and every process below it, once the server is healthy */
  pids: number[];
}

async function withNpmStart(body: (s: Started) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "chatterbox-npm-start-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const run = npmStart(port, dataDir);
  let pids: number[] = [];
  try {
    // prestart only checks the build here: the suite's own `npm start` (webServer) made it
    await expect
      .poll(async () => (await fetch(`${base}/api/health`).catch(() => undefined))?.status, { timeout: 60_000 })
      .toBe(200);
    pids = [run.child.pid!, ...descendants(run.child.pid!)];
    await body({ run, base, port, pids });
  } finally {
    for (const pid of pids) if (isAlive(pid)) process.kill(pid, "SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Milliseconds until every process npm started is gone, the port is free and npm has exited cleanly. */
async function timeToStopped({ run, port, pids }: Started, since: number): Promise<number> {
  const running = () => pids.filter(isAlive);
  await expect
    .poll(running, { message: "still running after the signal", timeout: STOP_WITHIN_MS })
    .toEqual([])
    .catch((err: unknown) => {
      // what npm and the server printed says where the shutdown stood
      throw new Error(`${String(err)}\nnpm start's output:\n${run.output()}`);
    });
  await expect.poll(() => isListening(port), { message: "port still open", timeout: STOP_WITHIN_MS }).toBe(false);
  expect(await run.exited, `npm start's exit:\n${run.output()}`).toEqual({ code: 0, signal: null });
  return performance.now() - since;
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  test(`${signal} to npm's PID stops the server gracefully and frees the port`, async () => {
    test.setTimeout(90_000);
    await withNpmStart(async (started) => {
      expect(started.pids.length, "npm start runs the server").toBeGreaterThan(1);
      const t0 = performance.now();
      started.run.child.kill(signal);
      const ms = await timeToStopped(started, t0);
      expect(ms).toBeLessThan(STOP_WITHIN_MS);
      console.log(`${signal}: stopped in ${ms.toFixed(0)} ms`);
    });
  });
}

test("a second SIGTERM during shutdown, with a client connected, does not hang it", async () => {
  test.setTimeout(90_000);
  await withNpmStart(async (started) => {
    const post = (p: string, body: unknown) =>
      fetch(started.base + p, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const credentials = { username: "supervised", password: "supervised pw" };
    expect((await post("/register", credentials)).status).toBe(200);
    const { token } = (await (await post("/login", credentials)).json()) as LoginResponse;
    const socket = io(started.base, { auth: { token }, transports: ["websocket"], reconnection: false });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", resolve);
        socket.once("connect_error", reject);
      });
      // the second signal once shutdown has begun: the server has just closed the client's socket
      socket.once("disconnect", () => started.run.child.kill("SIGTERM"));
      const t0 = performance.now();
      started.run.child.kill("SIGTERM");
      const ms = await timeToStopped(started, t0);
      expect(ms).toBeLessThan(STOP_WITHIN_MS);
      console.log(`SIGTERM twice: stopped in ${ms.toFixed(0)} ms`);
    } finally {
      socket.disconnect();
    }
  });
});
