// A fresh redis-server for tests (Debian's redis-server package): loopback, a free port, no persistence, in
// a temp dir, stopped by its own PID. `stop()` then `restart()` brings it back on the same port, empty —
// what a crashed Redis without persistence looks like to the servers using it.
//
//   const redis = await startRedis();
//   …  REDIS_URL: redis.url  …
//   await redis.stop(); …; await redis.restart();
//   finally: await redis.close();
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../../bench/lib/procs";

export interface TestRedis {
  port: number;
  /** redis://127.0.0.1:<port> */
  url: string;
  /** SIGKILLs the server (its PID) and resolves once it is gone */
  stop(): Promise<void>;
  /** starts it again on the same port (empty) */
  restart(): Promise<void>;
  /** stops it and removes its directory */
  close(): Promise<void>;
}

/** resolves once the port answers PING */
async function waitReady(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("error", () => resolve(false));
      socket.once("connect", () => socket.write("PING\r\n"));
      socket.once("data", (data) => {
        socket.destroy();
        resolve(data.toString().startsWith("+PONG"));
      });
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startRedis(opts: { timeoutMs?: number } = {}): Promise<TestRedis> {
  const dir = mkdtempSync(path.join(tmpdir(), "chatterbox-redis-"));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let stderr = "";

  const start = async () => {
    const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
    const proc = spawn("redis-server", [...args, "--dir", dir], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    proc.stderr.setEncoding("utf8");
    proc.stderr.on("data", (chunk: string) => (stderr += chunk));
    const killOnExit = () => proc.kill("SIGKILL");
    process.once("exit", killOnExit);
    exited = new Promise((resolve) =>
      proc.once("exit", () => {
        process.off("exit", killOnExit);
        resolve();
      }),
    );
    child = proc;
    try {
      await waitReady(port, opts.timeoutMs ?? 10_000);
    } catch (err) {
      proc.kill("SIGKILL");
      throw new Error(`${(err as Error).message}\n${stderr}`);
    }
  };

  const stop = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    process.kill(child.pid!, "SIGKILL");
    await exited;
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    restart: start,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
