// Delivery guarantees, durable acks: a real server process is killed with SIGKILL while a client keeps
// sending (after ≥ 1,000 acks). After a restart on the same database every acked message is there, and
// retrying every un-acked message with its clientId stores each exactly once. Where that kill lands is
// chance, so the second part has the server kill itself at each point of a message's path in turn
// (CHATTERBOX_FAULT, lib/fault.ts) and checks that point's own outcome, every run.
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import type { Message } from "@/lib/protocol";
import { fire, logReceived, openLogged, tracked, until, type ReceiveLog, type Tracked } from "../helpers/delivery";
import { connectSocket, registerAndLogin } from "../helpers/remote";
import { makeServerDir, spawnServer, type ServerProcess } from "../helpers/server-process";
import { waitConnected, waitDisconnect } from "../helpers/socket-utils";
import type { TestSocket } from "../helpers/test-server";
import { dbAll } from "../helpers/db";

const ACKS_BEFORE_KILL = 1_000;
/** a start (tsx compiling the server) beside other suites' servers on two cores can pass 20 s */
const START_MS = 60_000;
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
  const p = await spawnServer({ dir, startTimeoutMs: START_MS });
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

describe("kill -9 while a client keeps sending", { timeout: 120_000 }, () => {
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
    const rowsAfterCrash = await dbAll<Row>(second, "SELECT id, clientId, content, username FROM Message ORDER BY id");
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
    const perClientId = await dbAll<{ clientId: string; n: number }>(
      second,
      "SELECT clientId, count(*) AS n FROM Message GROUP BY clientId",
    );
    const counts = new Map(perClientId.map((r) => [r.clientId, r.n]));
    expect(attempted.filter((t) => counts.get(t.clientId) !== 1).map((t) => t.clientId)).toEqual([]);
    const total = (await dbAll<{ n: number }>(second, "SELECT count(*) AS n FROM Message"))[0]!.n;
    expect(total).toBe(attemptedIds.size);
    expect(attemptedIds.size).toBe(attempted.length);

    // every message the client has an ack for (before or after the crash) is the stored row
    const finalRows = new Map(
      (await dbAll<Row>(second, "SELECT id, clientId, content, username FROM Message")).map((r) => [r.clientId, r]),
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

// ---- each crash point on purpose ---------------------------------------------------------------------------

/** messages acked before the crash point fires (its `:N`) */
const BEFORE = 5;

/** A server in a dir of its own that kills itself at `fault`; alice sends, bob listens. */
async function crashingServer(fault: string) {
  const own = makeServerDir("chatterbox-fault-");
  const server = await spawnServer({ dir: own, env: { CHATTERBOX_FAULT: fault }, startTimeoutMs: START_MS });
  processes.push(server);
  const token = await registerAndLogin(server.url, "alice");
  const bobToken = await registerAndLogin(server.url, "bob");
  const alice = await connect(server.url, token);
  const bob = logReceived(await connect(server.url, bobToken));
  const sent: Tracked[] = [];
  for (let i = 0; i < BEFORE; i++) {
    const item = tracked(`before ${i}`);
    sent.push(await fire(alice, item));
    expect(item.acked, item.failed).toBeDefined();
  }
  return { server, own, token, bobToken, alice, bob, sent };
}

/** Waits for the process to die and returns its `FAULT <point> …` line's words after the point. */
async function faultLine(server: ServerProcess, point: string): Promise<string[]> {
  await until(
    () => server.exited,
    15_000,
    () => `the server did not crash at ${point}\n${server.stderr()}`,
  );
  const line = server
    .stderr()
    .split("\n")
    .find((l) => l.startsWith(`FAULT ${point} `));
  expect(line, server.stderr()).toBeDefined();
  return line!.slice(`FAULT ${point} `.length).trim().split(" ");
}

async function restart(own: string): Promise<ServerProcess> {
  const p = await spawnServer({ dir: own, startTimeoutMs: START_MS });
  processes.push(p);
  return p;
}

const storedRows = (p: ServerProcess) =>
  dbAll<Row>(p, "SELECT id, clientId, content, username FROM Message ORDER BY id");

/** Live messages `log` gets from now until alice's marker, sent after everything else on the same room. */
async function liveUntilMarker(log: ReceiveLog, alice: TestSocket): Promise<string[]> {
  const from = log.live.length;
  const marker = await fire(alice, tracked("marker"));
  await until(
    () => log.live.some((m) => m.id === marker.acked?.id),
    10_000,
    () => "the marker did not arrive",
  );
  return log.live.slice(from).map((m) => m.content);
}

// two server processes each, and a machine shared with other suites' servers: the starts take their time
describe("the server killed at a chosen point (CHATTERBOX_FAULT)", { timeout: 120_000 }, () => {
  it("after the commit, before the ack: stored but never acked; the retry is answered with that row, once", async () => {
    const { server, own, token, bobToken, alice, bob, sent } = await crashingServer(
      `after-commit-before-ack:${BEFORE}`,
    );
    const victim = await fire(alice, tracked("committed, never acked"));
    const [storedId, clientId] = await faultLine(server, "after-commit-before-ack");
    expect(victim.acked).toBeUndefined();
    expect(clientId).toBe(victim.clientId);
    // bob's socket closed after the crash; nothing was broadcast before it
    await waitDisconnect(bob.socket, 10_000).catch(() => "already closed");
    expect(bob.live.map((m) => m.content)).toEqual(sent.map((t) => t.content));

    const second = await restart(own);
    const rows = await storedRows(second);
    expect(rows.map((r) => r.clientId)).toEqual([...sent, victim].map((t) => t.clientId));
    expect(rows.at(-1)).toEqual({ id: Number(storedId), clientId, content: victim.content, username: "alice" });

    // bob comes back with his cursor: the gap fill brings the message nobody was told about
    const bobAgain = await openLogged(second.url, { token: bobToken, lastMessageId: sent.at(-1)!.acked!.id });
    expect(bobAgain.histories[0]!.messages.map((m) => m.content)).toEqual([victim.content]);
    // alice's client retries with the same clientId: the ack is the stored row, and nothing new is broadcast
    const aliceAgain = await connect(second.url, token);
    const retry = await fire(aliceAgain, { clientId: victim.clientId, content: victim.content });
    expect(retry.acked).toMatchObject({ id: Number(storedId), clientId, content: victim.content });
    expect(await liveUntilMarker(bobAgain, aliceAgain)).toEqual(["marker"]);
    expect(
      await dbAll<{ n: number }>(second, "SELECT count(*) AS n FROM Message WHERE clientId = ?", clientId),
    ).toEqual([{ n: 1 }]);
  });

  it("after the ack, before the broadcast: acked, so present after the restart; others get it by gap fill", async () => {
    const { server, own, bobToken, alice, bob, sent } = await crashingServer(`after-ack-before-broadcast:${BEFORE}`);
    const victim = await fire(alice, tracked("acked, never broadcast"));
    const [storedId] = await faultLine(server, "after-ack-before-broadcast");
    expect(victim.acked, victim.failed).toMatchObject({ id: Number(storedId), content: victim.content });
    await waitDisconnect(bob.socket, 10_000).catch(() => "already closed");
    expect(bob.live.map((m) => m.content)).toEqual(sent.map((t) => t.content));

    const second = await restart(own);
    expect((await storedRows(second)).at(-1)).toEqual({
      id: victim.acked!.id,
      clientId: victim.clientId,
      content: victim.content,
      username: "alice",
    });
    const bobAgain = await openLogged(second.url, { token: bobToken, lastMessageId: sent.at(-1)!.acked!.id });
    expect(bobAgain.histories[0]!.messages).toEqual([victim.acked]);
  });

  it("is ignored outside NODE_ENV=test: a production server with CHATTERBOX_FAULT set keeps running", async () => {
    const own = makeServerDir("chatterbox-fault-");
    const server = await spawnServer({
      dir: own,
      env: { NODE_ENV: "production", CHATTERBOX_FAULT: "after-commit-before-ack" },
      startTimeoutMs: START_MS,
    });
    processes.push(server);
    const alice = await connect(server.url, await registerAndLogin(server.url, "alice"));
    const items = Array.from({ length: 3 }, (_, i) => tracked(`still alive ${i}`));
    for (const item of items) expect((await fire(alice, item)).acked, item.failed).toBeDefined();
    // the fault would have killed it at the first commit; the socket is still up after three
    expect(server.exited).toBe(false);
    expect(alice.connected).toBe(true);
    expect(server.stderr()).not.toMatch(/^FAULT/m);
  });

  it("mid-batch: none of the batch the crash cut in half is stored; every acked one is; retries store each once", async () => {
    const { server, own, token, alice, sent } = await crashingServer("mid-batch");
    // messages sent one at a time commit one per batch and never pass the point; a burst shares batches
    const burst: Tracked[] = [];
    for (let round = 0; !server.exited && round < 10; round++) {
      const items = Array.from({ length: 40 }, (_, i) => tracked(`burst ${round}.${i}`));
      burst.push(...items);
      await Promise.all(items.map((t) => fire(alice, t, 10_000)));
    }
    const dying = (await faultLine(server, "mid-batch"))[0]!.split(",");
    expect(dying.length).toBeGreaterThanOrEqual(2);
    const attempted = [...sent, ...burst];
    expect(attempted.filter((t) => dying.includes(t.clientId) && t.acked)).toEqual([]);

    const second = await restart(own);
    const stored = new Map((await storedRows(second)).map((r) => [r.clientId, r]));
    expect(dying.filter((c) => stored.has(c))).toEqual([]);
    expect(attempted.filter((t) => t.acked && stored.get(t.clientId)?.id !== t.acked.id)).toEqual([]);

    const aliceAgain = await connect(second.url, token);
    const retries = attempted
      .filter((t) => !t.acked)
      .map((t): Tracked => ({ clientId: t.clientId, content: t.content }));
    await Promise.all(retries.map((t) => fire(aliceAgain, t, 15_000)));
    expect(retries.filter((t) => !t.acked)).toEqual([]);
    const counts = await dbAll<{ clientId: string; n: number }>(
      second,
      "SELECT clientId, count(*) AS n FROM Message GROUP BY clientId",
    );
    expect(counts.filter((c) => c.n !== 1)).toEqual([]);
    expect(counts.map((c) => c.clientId).sort()).toEqual(attempted.map((t) => t.clientId).sort());
  });
});
