// Delivery guarantees through the real client core: a ChatSession (the terminal client's adapter over
// lib/client) sends a stream of messages while the server process is killed with SIGKILL and restarted on
// the same database. The core's outbox retries whatever was in flight with the same clientId once it has
// reconnected, so every message is stored exactly once, in the order sent, and shown exactly once.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatSession } from "@/cli/chat-session";
import { openSession } from "../helpers/cluster-clients";
import { until } from "../helpers/delivery";
import { registerAndLogin } from "../helpers/remote";
import { makeServerDir, spawnServer, type ServerProcess } from "../helpers/server-process";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy";
import { dbAll } from "../helpers/db";

const TOTAL = 400;
const KILL_AFTER = 150;

const dir = makeServerDir("chatterbox-core-crash-");
const processes: ServerProcess[] = [];
let proxy: TcpProxy | undefined;
let first: ServerProcess;
let token: string;
let session: ChatSession | undefined;

afterAll(async () => {
  session?.close();
  await proxy?.close();
  await Promise.all(processes.map((p) => p.kill("SIGKILL")));
  rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<ServerProcess> {
  const p = await spawnServer({ dir });
  processes.push(p);
  return p;
}

// the first server and the account are set-up, not the property: a process start (tsx compiles the server) and a
// bcrypt hash take seconds on a loaded machine, so they are outside the test's own timeout
beforeAll(async () => {
  first = await start();
  proxy = await startTcpProxy(first.url);
  token = await registerAndLogin(proxy.url, "crashy");
});

describe("the client core's outbox across a server SIGKILL", () => {
  it("stores every message once, in order, and shows each once", async () => {
    const recording = await openSession(proxy!.url, token);
    session = recording.session;
    const { shown } = recording;

    let acked = 0;
    const contents = Array.from({ length: TOTAL }, (_, i) => `crash stream ${i}`);
    const sends = contents.map((content) => session!.send(content).then((m) => (acked++, m)));
    await until(
      () => acked >= KILL_AFTER,
      20_000,
      () => `only ${acked} acked`,
    );
    await first.kill("SIGKILL");
    const ackedAtKill = acked;
    const second = await start();
    proxy!.target(second.url);

    const stored = await Promise.all(sends);
    await session.settle();
    expect(ackedAtKill).toBeLessThan(TOTAL); // the kill landed mid-stream
    expect(recording.retries()).toBeGreaterThan(0); // and something was retried

    const rows = await dbAll<{ id: number; clientId: string; content: string }>(
      second,
      "SELECT id, clientId, content FROM Message WHERE content LIKE 'crash stream %' ORDER BY id",
    );
    expect(rows.map((r) => r.content)).toEqual(contents); // each once, in the order sent
    expect(stored.map((m) => m.id)).toEqual(rows.map((r) => r.id)); // acked as the row stored
    await until(
      () => shown.filter((m) => m.content.startsWith("crash stream ")).length >= TOTAL,
      10_000,
      () => `shown ${shown.length}`,
    );
    const mine = shown.filter((m) => m.content.startsWith("crash stream "));
    expect(mine.map((m) => m.id)).toEqual(rows.map((r) => r.id)); // each shown once, in order
  });
});
