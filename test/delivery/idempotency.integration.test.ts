// Delivery guarantees, idempotent sends: the same (user, clientId) is stored once, every retry is acked
// with the same stored Message, and only the first store is broadcast — whether the retries come one after
// another, all at once, from several sessions, or after a reconnect and a server restart.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message, WsServerFrame } from "@/lib/protocol";
import { logReceived, openLogged, until, type ReceiveLog } from "../helpers/delivery";
import { ackedMessage, send, type SendAck } from "../helpers/socket-utils";

import { startTestServer, type TestServer } from "../helpers/test-server";
import { openWs, type WsClient } from "../helpers/ws-client";
import { dbAll, dbNumber } from "../helpers/db";

let server: TestServer;
let aliceToken: string;
let alice: ReceiveLog;
/** receivers other than the sender (the sender receives its own broadcast too) */
let bob: ReceiveLog;
let carol: ReceiveLog;
let wsDave: WsClient;

beforeAll(async () => {
  server = await startTestServer();
  aliceToken = await server.token("alice");
  const [bobToken, carolToken, daveToken] = await Promise.all([
    server.token("bob"),
    server.token("carol"),
    server.token("dave"),
  ]);
  [alice, bob, carol] = await Promise.all([
    openLogged(server.url, { token: aliceToken }),
    openLogged(server.url, { token: bobToken }),
    openLogged(server.url, { token: carolToken }),
  ]);
  wsDave = await openWs(server.url, { token: daveToken });
  await wsDave.nextOf("history");
});

afterAll(async () => {
  for (const log of [alice, bob, carol]) log?.socket.disconnect();
  await wsDave?.close();
  await server?.close();
});

const rowsWith = (clientId: string) => dbNumber(server, "SELECT count(*) FROM Message WHERE clientId = ?", clientId);
const wsMessages = (): Extract<WsServerFrame, { type: "message" }>[] =>
  wsDave.frames.filter((f): f is Extract<WsServerFrame, { type: "message" }> => f.type === "message");

/**
 * Sends a marker from alice and waits until every receiver has its broadcast. Broadcasts of a socket arrive
 * in emit order and a send is broadcast before it is acked, so anything the earlier sends caused is in by
 * then: counting after the marker is exact, with no sleeping.
 */
async function fence(): Promise<void> {
  const marker = ackedMessage(await send(alice.socket, { content: `marker ${randomUUID()}`, clientId: randomUUID() }));
  await until(
    () =>
      [alice, bob, carol].every((l) => l.live.some((m) => m.id === marker.id)) &&
      wsMessages().some((f) => f.id === marker.id),
    5_000,
    () => `marker ${marker.id} not received by every receiver`,
  );
}

/** The broadcast count of `id` per receiver: alice (sender), bob, carol (socket.io) and dave (/ws). */
function broadcastsOf(id: number): Record<string, number> {
  const count = (list: readonly Message[]) => list.filter((m) => m.id === id).length;
  return {
    alice: count(alice.live),
    bob: count(bob.live),
    carol: count(carol.live),
    dave: wsMessages().filter((f) => f.id === id).length,
  };
}
const ONCE_EACH = { alice: 1, bob: 1, carol: 1, dave: 1 };

function expectIdenticalAcks(acks: SendAck[], clientId: string, content: string): Message {
  expect(acks).toHaveLength(3);
  const first = ackedMessage(acks[0]!);
  expect(first).toMatchObject({ username: "alice", content, room: "general", clientId });
  for (const ack of acks) expect(ack).toStrictEqual({ ok: true, message: first });
  return first;
}

async function expectOneRow(clientId: string, message: Message): Promise<void> {
  expect(await rowsWith(clientId)).toBe(1);
  const rows = await dbAll<{ id: number; content: string; clientId: string }>(
    server,
    "SELECT id, content, clientId FROM Message WHERE clientId = ?",
    clientId,
  );
  expect(rows).toEqual([{ id: message.id, content: message.content, clientId }]);
}

describe("the same clientId sent 3 times over socket.io", () => {
  it("sequentially (each retry after the previous ack): one row, three identical acks, one broadcast each", async () => {
    const clientId = randomUUID();
    const content = "sequential retry";
    const acks: SendAck[] = [];
    for (let i = 0; i < 3; i++) acks.push(await send(alice.socket, { content, clientId }));
    const message = expectIdenticalAcks(acks, clientId, content);
    await fence();
    await expectOneRow(clientId, message);
    expect(broadcastsOf(message.id)).toEqual(ONCE_EACH);
  });

  it("concurrently (three emits without waiting, one group commit): one row, identical acks, one broadcast each", async () => {
    const clientId = randomUUID();
    const content = "concurrent retry";
    const acks = await Promise.all([0, 1, 2].map(() => send(alice.socket, { content, clientId })));
    const message = expectIdenticalAcks(acks, clientId, content);
    await fence();
    await expectOneRow(clientId, message);
    expect(broadcastsOf(message.id)).toEqual(ONCE_EACH);
  });

  it("concurrently, spread over consecutive group commits (first store in flight when the retries arrive)", async () => {
    // at the service (the socket handler's next step), where batch boundaries can be placed exactly: the
    // first send's batch starts on the next setImmediate and is mid-commit when the other two join the queue
    const who = await server.services.auth.authenticate(aliceToken);
    if (!who) throw new Error("alice's token does not authenticate");
    const clientId = randomUUID();
    const content = "spread retry";
    const first = server.services.messages.send(who, { content, clientId });
    await new Promise((r) => setImmediate(r));
    const rest = [0, 1].map(() => server.services.messages.send(who, { content, clientId }));
    const stored = await Promise.all([first, ...rest]);
    const message = expectIdenticalAcks(
      stored.map((m) => ({ ok: true as const, message: m })),
      clientId,
      content,
    );
    await fence();
    await expectOneRow(clientId, message);
    expect(broadcastsOf(message.id)).toEqual(ONCE_EACH);
  });

  it("concurrently from three sessions of the same user: one row, identical acks, one broadcast each", async () => {
    const sessions = await Promise.all(
      [0, 1, 2].map(async () => openLogged(server.url, { token: await server.token("alice") })),
    );
    try {
      const clientId = randomUUID();
      const content = "multi-session retry";
      const acks = await Promise.all(sessions.map((s) => send(s.socket, { content, clientId })));
      const message = expectIdenticalAcks(acks, clientId, content);
      await fence();
      await expectOneRow(clientId, message);
      expect(broadcastsOf(message.id)).toEqual(ONCE_EACH);
    } finally {
      for (const s of sessions) s.socket.disconnect();
    }
  });

  it("another user's identical clientId is a separate message (uniqueness is per user)", async () => {
    const clientId = randomUUID();
    const mine = ackedMessage(await send(alice.socket, { content: "alice's", clientId }));
    const theirs = ackedMessage(await send(bob.socket, { content: "bob's", clientId }));
    expect(theirs.id).not.toBe(mine.id);
    expect(theirs).toMatchObject({ username: "bob", content: "bob's", clientId });
    expect(await rowsWith(clientId)).toBe(2);
  });
});

describe("the same clientId over the plain WebSocket (/ws frames with clientId)", () => {
  it("three frames with one clientId: one row, one broadcast per receiver", async () => {
    const token = await server.token("erin");
    const erin = await openWs(server.url, { token });
    try {
      await erin.nextOf("history");
      const clientId = randomUUID();
      const content = "ws retry";
      for (let i = 0; i < 3; i++) erin.sendJson({ content, clientId });
      const own = await erin.next((f) => f.type === "message" && f.clientId === clientId);
      if (own.type !== "message") throw new Error("unreachable");
      await fence();
      expect(await rowsWith(clientId)).toBe(1);
      expect(broadcastsOf(own.id)).toEqual(ONCE_EACH);
      expect(erin.frames.filter((f) => f.type === "message" && f.clientId === clientId)).toHaveLength(1);
      expect(erin.frames.filter((f) => f.type === "error")).toEqual([]);
    } finally {
      await erin.close();
    }
  });
});

describe("retries after a reconnect and after a server restart", () => {
  it("are acked with the stored message, store nothing and broadcast nothing", async () => {
    const clientId = randomUUID();
    const content = "retried across a restart";
    const original = ackedMessage(await send(alice.socket, { content, clientId }));
    await fence();

    // a new connection (a reconnect) retries: same ack, no row, no broadcast
    const again = await openLogged(server.url, { token: aliceToken, lastMessageId: original.id });
    const afterReconnect = await send(again.socket, { content, clientId });
    again.socket.disconnect();
    expect(afterReconnect).toStrictEqual({ ok: true, message: original });
    await fence();
    expect(broadcastsOf(original.id)).toEqual(ONCE_EACH);
    expect(await rowsWith(clientId)).toBe(1);

    // restart on the same database: the stored row, not process memory, answers the retry
    for (const log of [alice, bob, carol]) log.socket.disconnect();
    await wsDave.close();
    const dir = server.dir;
    await server.close({ keepData: true });
    server = await startTestServer({ dir });
    const token = await server.token("alice");
    const watcher = logReceived(server.connect({ token: await server.token("bob"), lastMessageId: original.id }));
    await until(
      () => watcher.histories.length === 1,
      5_000,
      () => "no history after restart",
    );
    const retried = await openLogged(server.url, { token, lastMessageId: original.id });
    const acks = await Promise.all([0, 1, 2].map(() => send(retried.socket, { content, clientId })));
    for (const ack of acks) expect(ack).toStrictEqual({ ok: true, message: original });
    const marker = ackedMessage(
      await send(retried.socket, { content: "after-restart marker", clientId: randomUUID() }),
    );
    await until(
      () => watcher.live.some((m) => m.id === marker.id),
      5_000,
      () => "marker not received",
    );
    expect(watcher.live.map((m) => m.id)).toEqual([marker.id]);
    expect(retried.live.map((m) => m.id)).toEqual([marker.id]);
    expect(await rowsWith(clientId)).toBe(1);
    retried.socket.disconnect();
  });
});
