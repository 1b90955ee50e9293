// Delivery guarantees, durable acks: a real server process is killed with SIGKILL while a client keeps
// sending (after ≥ 1,000 acks). After a restart on the same database every acked message is there, and
// retrying every un-acked message with its clientId stores each exactly once.
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import type { Message } from "@/lib/protocol";
import { fire, tracked, until, type Tracked } from "../helpers/delivery";
import { connectSocket, registerAndLogin } from "../helpers/remote";
import { makeServerDir, spawnServer, type ServerProcess } from "../helpers/server-process";
import { waitConnected } from "../helpers/socket-utils";
import { sqliteAll } from "../helpers/sqlite";
import type { TestSocket } from "../helpers/test-server";

const ACKS_BEFORE_KILL = 1_000;
/** messages in flight at once: the kill lands with many of them sent but not acked */
const WINDOW = 100;

const dir = makeServerDir("chatterbox-crash-");
const processes: ServerProcess[] = [];
const sockets: TestSocket[] = [];

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await Promise.all(processes.map((p) => p.kill("SIGKILL")));
  rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<ServerProcess> {
  const p = await spawnServer({ dir });
  processes.push(p);
  return p;
}

async function connect(url: string, token: string): Promise<TestSocket> {
  const socket = connectSocket(url, { token });
  sockets.push(socket);
  await waitConnected(socket, 10_000);
  return socket;
}

interface Row {
  id: number;
  clientId: string | null;
  content: string;
  username: string;
}

describe("kill -9 while a client keeps sending", () => {
  it("keeps every acked message, and retries with the same clientId store each message exactly once", async () => {
    const first = await start();
    const token = await registerAndLogin(first.url, "alice");
    const socket = await connect(first.url, token);

    // ---- send continuously (WINDOW un-acked at a time); SIGKILL once ≥ 1,000 acks are in -----------------
    const attempted: Tracked[] = [];
    let inflight = 0;
    let killing: Promise<void> | undefined;
    let ackedAtKill = 0;
    const ackedCount = () => attempted.filter((t) => t.acked).length;
    const pump = (): void => {
      while (socket.connected && inflight < WINDOW) {
        const item = tracked(`durable ${attempted.length}`);
        attempted.push(item);
        inflight++;
        void fire(socket, item, 10_000).then(() => {
          inflight--;
          if (!killing && ackedCount() >= ACKS_BEFORE_KILL) {
            ackedAtKill = ackedCount();
            killing = first.kill("SIGKILL");
          }
          pump();
        });
      }
    };
    pump();
    await until(
      () => killing !== undefined,
      20_000,
      () => `only ${ackedCount()} acks`,
    );
    await killing;
    await until(
      () => inflight === 0,
      15_000,
      () => `${inflight} sends still unsettled after the kill`,
    );
    expect(first.exited).toBe(true);
    expect(socket.connected).toBe(false);

    const acked = attempted.filter((t) => t.acked);
    const unacked = attempted.filter((t) => !t.acked);
    expect(ackedAtKill).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);
    expect(acked.length).toBeGreaterThanOrEqual(ackedAtKill);
    // the client was still sending when the process died
    expect(unacked.length).toBeGreaterThan(0);

    // ---- restart on the same database: every acked message is stored as acked ---------------------------
    const second = await start();
    const rowsAfterCrash = sqliteAll<Row>(
      second.databasePath,
      "SELECT id, clientId, content, username FROM Message ORDER BY id",
    );
    const byClientId = new Map(rowsAfterCrash.map((r) => [r.clientId, r]));
    const missing = acked.filter((t) => {
      const row = byClientId.get(t.clientId);
      return !row || row.id !== t.acked!.id || row.content !== t.content;
    });
    expect(missing.map((t) => ({ clientId: t.clientId, ackedId: t.acked!.id }))).toEqual([]);
    // nothing was stored that was not sent
    const attemptedIds = new Set(attempted.map((t) => t.clientId));
    expect(rowsAfterCrash.filter((r) => !r.clientId || !attemptedIds.has(r.clientId))).toEqual([]);
    // stored before the crash but never acked: the retries below must return these rows, not add new ones
    const committedUnacked = unacked.filter((t) => byClientId.has(t.clientId)).length;

    // ---- retry every un-acked message with its clientId against the restarted server --------------------
    const retrySocket = await connect(second.url, token);
    const retried = unacked.map((t): Tracked => ({ clientId: t.clientId, content: t.content }));
    await Promise.all(retried.map((t) => fire(retrySocket, t, 15_000)));
    expect(retried.filter((t) => !t.acked).map((t) => `${t.clientId}: ${t.failed}`)).toEqual([]);
    for (const t of retried) {
      const before = byClientId.get(t.clientId);
      // a message the crash left stored is acked as that row, not stored again
      if (before) expect(t.acked).toMatchObject({ id: before.id, content: before.content, clientId: t.clientId });
      else expect(t.acked).toMatchObject({ content: t.content, clientId: t.clientId, username: "alice" });
    }
    // retrying already-acked messages returns their original acks
    const sample = acked.filter((_, i) => i % 10 === 0);
    const reRetried = sample.map((t): Tracked => ({ clientId: t.clientId, content: t.content }));
    await Promise.all(reRetried.map((t) => fire(retrySocket, t, 15_000)));
    expect(reRetried.map((t) => t.acked)).toEqual(sample.map((t) => t.acked));

    // ---- every attempted clientId exactly once; total rows = distinct clientIds attempted ---------------
    const perClientId = sqliteAll<{ clientId: string; n: number }>(
      second.databasePath,
      "SELECT clientId, count(*) AS n FROM Message GROUP BY clientId",
    );
    const counts = new Map(perClientId.map((r) => [r.clientId, r.n]));
    expect(attempted.filter((t) => counts.get(t.clientId) !== 1).map((t) => t.clientId)).toEqual([]);
    const total = sqliteAll<{ n: number }>(second.databasePath, "SELECT count(*) AS n FROM Message")[0]!.n;
    expect(total).toBe(attemptedIds.size);
    expect(attemptedIds.size).toBe(attempted.length);

    // every message the client has an ack for (before or after the crash) is the stored row
    const finalRows = new Map(
      sqliteAll<Row>(second.databasePath, "SELECT id, clientId, content, username FROM Message").map((r) => [
        r.clientId,
        r,
      ]),
    );
    const ackOf = new Map<string, Message>([
      ...acked.map((t): [string, Message] => [t.clientId, t.acked!]),
      ...retried.map((t): [string, Message] => [t.clientId, t.acked!]),
    ]);
    expect(ackOf.size).toBe(attempted.length);
    for (const [clientId, message] of ackOf) {
      expect(finalRows.get(clientId)).toEqual({
        id: message.id,
        clientId,
        content: message.content,
        username: "alice",
      });
    }
    // for the report: how the kill split the attempts
    console.info(
      `crash: ${attempted.length} attempted, ${acked.length} acked before the kill, ${unacked.length} un-acked ` +
        `(${committedUnacked} of them stored before the crash)`,
    );
  });
});
