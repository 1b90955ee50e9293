// Delivery guarantees, property: a web client (modelled on hooks/useChat.ts, merging with
// lib/web/timeline.ts) goes through an arbitrary interleaving — chosen by fast-check — of REST history
// fetches, disconnects / drops and reconnects with lastMessageId gap fill, its own sends (outbox, retried
// with the same clientId on reconnect), live message:new events, and concurrent sends from other clients
// over socket.io and the plain WebSocket, all against one real server. After quiescence the client's merged
// view equals a fresh fetch of the whole room. The database is never reset: each run starts a new client on
// top of everything earlier runs stored.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fire, openLogged, tracked, until, type ReceiveLog } from "../helpers/delivery";
import { fetchAllAfter } from "../helpers/remote";
import { startTestServer, type TestServer } from "../helpers/test-server";
import { newCounters, WebClientModel } from "../helpers/web-client-model";
import { openWs, type WsClient } from "../helpers/ws-client";

const NUM_RUNS = 100;
const ACK_TIMEOUT_MS = 5_000;

let server: TestServer;
let viewerToken: string;
/** other users sending over socket.io */
let others: ReceiveLog[] = [];
/** another user sending over the plain WebSocket (no acks, no clientId) */
let wsOther: WsClient;
/** what the runs exercised, printed at the end (a property that never reconnects proves little) */
const stats = newCounters();

beforeAll(async () => {
  server = await startTestServer();
  viewerToken = await server.token("viewer");
  const tokens = await Promise.all([server.token("other_a"), server.token("other_b"), server.token("other_ws")]);
  others = await Promise.all(tokens.slice(0, 2).map((token) => openLogged(server.url, { token })));
  wsOther = await openWs(server.url, { token: tokens[2] });
  await wsOther.nextOf("history");
});
afterAll(async () => {
  for (const o of others) o.socket.disconnect();
  await wsOther?.close();
  await server.close();
});

type Command =
  | { kind: "connect"; awaitHistory: boolean }
  | { kind: "disconnect"; drop: boolean }
  | { kind: "fullHistory"; wait: boolean }
  | { kind: "restPage"; cursor: number; limit: number; wait: boolean }
  | { kind: "othersSend"; sender: number; n: number }
  | { kind: "wsOtherSend"; n: number }
  | { kind: "ownSend"; n: number }
  | { kind: "pause"; ms: number };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant("connect" as const), awaitHistory: fc.boolean() }),
  fc.record({ kind: fc.constant("disconnect" as const), drop: fc.boolean() }),
  fc.record({ kind: fc.constant("fullHistory" as const), wait: fc.boolean() }),
  fc.record({
    kind: fc.constant("restPage" as const),
    cursor: fc.double({ min: 0, max: 1, noNaN: true }),
    limit: fc.integer({ min: 1, max: 40 }),
    wait: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant("othersSend" as const),
    sender: fc.integer({ min: 0, max: 1 }),
    n: fc.integer({ min: 1, max: 6 }),
  }),
  fc.record({ kind: fc.constant("wsOtherSend" as const), n: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant("ownSend" as const), n: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant("pause" as const), ms: fc.integer({ min: 0, max: 25 }) }),
);

/**
 * A run: arbitrary commands with one full REST history fetch inserted at an arbitrary position (without
 * one, a new client only ever learns the latest 50 plus what comes after, and could not equal the room).
 */
const runArb = fc.array(commandArb, { minLength: 1, maxLength: 14 }).chain((commands) =>
  fc.record({ at: fc.integer({ min: 0, max: commands.length }), wait: fc.boolean() }).map(({ at, wait }): Command[] => {
    const full: Command = { kind: "fullHistory", wait };
    return [...commands.slice(0, at), full, ...commands.slice(at)];
  }),
);

/** Everything the other senders have in flight, and the ids stored for them. */
interface OthersState {
  inFlight: Promise<unknown>[];
  storedIds: number[];
  /** contents sent over /ws not yet seen stored (the plain WebSocket has no acks) */
  wsPending: Set<string>;
}

async function execute(client: WebClientModel, command: Command, others_: OthersState): Promise<void> {
  switch (command.kind) {
    case "connect":
      return client.connect({ awaitHistory: command.awaitHistory });
    case "disconnect":
      return client.disconnect(command.drop);
    case "fullHistory": {
      const p = client.fullHistory();
      if (command.wait) await p;
      return;
    }
    case "restPage": {
      // a cursor among the ids the client knows (or 0): pages overlap what it has and may reach past it
      const known = [0, ...client.messages.map((m) => m.id)];
      const after = known[Math.min(known.length - 1, Math.floor(command.cursor * known.length))]!;
      const p = client.restPage(after, command.limit);
      if (command.wait) await p;
      return;
    }
    case "othersSend": {
      const socket = others[command.sender]!.socket;
      for (let i = 0; i < command.n; i++) {
        const item = tracked(`other ${command.sender} ${randomUUID().slice(0, 8)}`);
        others_.inFlight.push(
          fire(socket, item, ACK_TIMEOUT_MS).then((t) => {
            if (!t.acked) throw new Error(`other's send failed: ${t.failed}`);
            others_.storedIds.push(t.acked.id);
          }),
        );
      }
      return;
    }
    case "wsOtherSend": {
      for (let i = 0; i < command.n; i++) {
        const content = `ws other ${randomUUID()}`;
        others_.wsPending.add(content);
        wsOther.sendJson({ content });
      }
      return;
    }
    case "ownSend":
      for (let i = 0; i < command.n; i++) client.sendMessage(`own ${randomUUID().slice(0, 8)}`);
      return;
    case "pause":
      await new Promise((r) => setTimeout(r, command.ms));
      return;
  }
}

/** Everything sent is stored and acked, the client is connected and has caught up with the newest id. */
async function quiesce(client: WebClientModel, othersState: OthersState): Promise<void> {
  await Promise.all(othersState.inFlight);
  const wsStored = () => {
    for (const f of wsOther.frames) {
      if (f.type === "message" && othersState.wsPending.delete(f.content)) othersState.storedIds.push(f.id);
    }
    return othersState.wsPending.size === 0;
  };
  await until(wsStored, 5_000, () => `${othersState.wsPending.size} /ws messages not stored`);
  // like the real client: reconnect, let the outbox re-send until every own message is acked
  for (let attempt = 0; attempt < 5; attempt++) {
    await client.connect();
    await client.settleBackground();
    if (!client.outgoing.some((o) => o.state === "sending")) break;
  }
  expect(client.outgoing).toEqual([]);
  const newest = Math.max(0, ...othersState.storedIds);
  await until(
    () => (client.lastId ?? 0) >= newest,
    5_000,
    () => `client's last id ${client.lastId} < newest stored ${newest}`,
  );
}

describe("the web client's merged view", () => {
  it(`equals a fresh fetch after any interleaving of history, gap fill, live events and sends (${NUM_RUNS} runs)`, async () => {
    const started = Date.now();
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(runArb, async (commands) => {
        runs++;
        const client = new WebClientModel(server.url, viewerToken, stats, ACK_TIMEOUT_MS);
        const othersState: OthersState = { inFlight: [], storedIds: [], wsPending: new Set() };
        try {
          for (const command of commands) await execute(client, command, othersState);
          await quiesce(client, othersState);
          // a fresh fetch: GET /api/messages?after=0&limit=500, paged on if the room outgrew one page
          const fresh = await fetchAllAfter(server.url, viewerToken, 0);
          expect(client.errors).toEqual([]);
          expect(client.messages.map((m) => m.id)).toEqual(fresh.map((m) => m.id));
          expect(client.messages).toEqual(fresh);
        } finally {
          client.close();
        }
      }),
      { numRuns: NUM_RUNS, endOnFailure: true },
    );
    console.info(`timeline property: ${runs} runs in ${Date.now() - started} ms; ${JSON.stringify(stats)}`);
  });
});
