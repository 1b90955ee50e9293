// Delivery guarantees, one order: with 5 concurrent senders firing 100 messages each without waiting for
// acks, two receivers see identical, strictly increasing id sequences that equal the storage order on disk,
// and contain all 500 messages (a plain-WebSocket receiver sees the same).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message, WsServerFrame } from "@/lib/protocol";
import {
  fire,
  idsOf,
  openLogged,
  strictlyIncreasing,
  tracked,
  until,
  type ReceiveLog,
  type Tracked,
} from "../helpers/delivery";
import { startTestServer, type TestServer } from "../helpers/test-server";
import { openWs, type WsClient } from "../helpers/ws-client";
import { dbAll } from "../helpers/db";

const SENDERS = 5;
const PER_SENDER = 100;
const TOTAL = SENDERS * PER_SENDER;

let server: TestServer;
const logs: ReceiveLog[] = [];
let wsReceiver: WsClient | undefined;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const log of logs) log.socket.disconnect();
  await wsReceiver?.close();
  await server.close();
});

const wsMessages = (ws: WsClient): Message[] =>
  ws.frames
    .filter((f): f is Extract<WsServerFrame, { type: "message" }> => f.type === "message")
    .map(({ type: _type, ...m }) => m);

describe("5 concurrent senders × 100 messages", () => {
  it("two receivers see the same strictly increasing ids, equal to storage order, all 500; per sender in send order", async () => {
    const tokens = await Promise.all(
      ["recv_one", "recv_two", "recv_ws", ...Array.from({ length: SENDERS }, (_, i) => `sender_${i}`)].map((u) =>
        server.token(u),
      ),
    );
    const [oneToken, twoToken, wsToken, ...senderTokens] = tokens as [string, string, string, ...string[]];
    const [one, two, ...senders] = await Promise.all(
      [oneToken, twoToken, ...senderTokens].map((token) => openLogged(server.url, { token })),
    );
    if (!one || !two) throw new Error("receivers did not connect");
    logs.push(one, two, ...senders);
    wsReceiver = await openWs(server.url, { token: wsToken });
    await wsReceiver.nextOf("history");
    // the database is fresh: every receiver starts from an empty history
    expect([one, two].map((l) => l.histories[0]?.messages)).toEqual([[], []]);

    // every sender emits all of its messages at once; senders interleave on the server
    const items: Tracked[][] = senders.map((_, s) =>
      Array.from({ length: PER_SENDER }, (_, i) => tracked(`sender ${s} message ${i}`)),
    );
    const settled = await Promise.all(
      senders.flatMap((log, s) => items[s]!.map((item) => fire(log.socket, item, 20_000))),
    );
    const failures = settled.filter((t) => !t.acked).map((t) => `${t.content}: ${t.failed}`);
    expect({ failed: failures.length, first: failures[0] }).toEqual({ failed: 0, first: undefined });

    const ws = wsReceiver;
    await until(
      () => [one, two, ...senders].every((l) => l.live.length >= TOTAL) && wsMessages(ws).length >= TOTAL,
      15_000,
      () =>
        `received ${[one, two, ...senders].map((l) => l.live.length).join(", ")}, ws ${wsMessages(ws).length} of ${TOTAL}`,
    );

    const stored = await dbAll<{ id: number; clientId: string; content: string }>(
      server,
      "SELECT id, clientId, content FROM Message ORDER BY id",
    );
    const storageOrder = stored.map((r) => r.id);
    expect(storageOrder).toHaveLength(TOTAL);

    const oneIds = idsOf(one.live);
    const twoIds = idsOf(two.live);
    expect(strictlyIncreasing(oneIds)).toBe(true);
    expect(twoIds).toEqual(oneIds);
    expect(oneIds).toEqual(storageOrder);
    expect(idsOf(wsMessages(ws))).toEqual(storageOrder);

    // all 500: the acked messages are exactly what was received, with the stored contents
    const acked = settled.map((t) => t.acked!).sort((a, b) => a.id - b.id);
    expect(one.live).toEqual(acked);
    expect(two.live).toEqual(acked);
    expect(wsMessages(ws)).toEqual(acked);
    expect(stored).toEqual(acked.map((m) => ({ id: m.id, clientId: m.clientId, content: m.content })));
    // senders receive the same broadcast stream as everyone else
    for (const s of senders) expect(idsOf(s.live)).toEqual(storageOrder);

    // ids follow arrival order: each sender's messages are stored in the order it sent them
    for (let s = 0; s < SENDERS; s++) {
      const mine = stored
        .filter((r) => r.content.startsWith(`sender ${s} `))
        .map((r) => Number(r.content.split(" ").at(-1)));
      expect(mine).toEqual(Array.from({ length: PER_SENDER }, (_, i) => i));
    }
  });
});
