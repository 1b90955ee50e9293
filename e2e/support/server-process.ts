// The compiled server (dist/server.js: what `npm start` runs, over the production build it made for the
// suite) as a child process of a test, for tests that restart or kill it.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { expect } from "@playwright/test";

/** A port nothing listens on now (the OS picks it), for a spec's own server: no collisions between runs. */
export { freePort } from "../../bench/lib/procs";

export interface ServerProcess {
  child: ChildProcess;
  output(): string;
  exited(): Promise<number | null>;
}

export function startServer(port: number, dataDir: string, env: Record<string, string> = {}): ServerProcess {
  const child = spawn(process.execPath, ["dist/server.js"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${path.join(dataDir, "server.db")}`,
      BCRYPT_COST: "10",
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  return {
    child,
    output: () => output,
    exited: () =>
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve(child.exitCode)
        : new Promise((resolve) => child.once("exit", (code) => resolve(code))),
  };
}

export async function waitHealthy(base: string): Promise<void> {
  await expect
    .poll(async () => (await fetch(`${base}/api/health`).catch(() => undefined))?.status, { timeout: 30_000 })
    .toBe(200);
}
