// Delivery guarantees, property: the real web client (lib/web/chat-client.ts over the client core, run in
// Node with a token transport) goes through an arbitrary interleaving — chosen by fast-check — of its own
// API: connects, client-side disconnects and network drops (socket.io reconnects with lastMessageId gap
// fill), latest-page reloads and older pages, its own sends (the core's outbox, retried with the same
// clientId), and concurrent sends from other clients over socket.io and the plain WebSocket, all against one
// real server. After quiescence the client's timeline of general, paged back to the start, equals a fresh
// fetch of the whole room. The database is never reset: each run starts a new client on top of everything
// earlier runs stored.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fire, openLogged, tracked, until, type ReceiveLog } from "../helpers/delivery";
import { fetchAllAfter } from "../helpers/remote";
import { startTestServer, type TestServer } from "../helpers/test-server";
import { GENERAL, newCounters, WebClientDriver } from "../helpers/web-client";
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
/** changes other users made that were acked */
let changes = 0;

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
  | { kind: "connect"; awaitReady: boolean }
  | { kind: "disconnect"; drop: boolean }
  | { kind: "reload" }
  | { kind: "loadOlder" }
  | { kind: "othersSend"; sender: number; n: number }
  | { kind: "wsOtherSend"; n: number }
  | { kind: "ownSend"; n: number }
  /** another user edits, deletes or reacts to one of the messages stored (pick: which one) */
  | { kind: "othersChange"; sender: number; action: "edit" | "delete" | "react" | "unreact"; pick: number }
  /** the viewer reacts to, or takes back a reaction on, a message it holds */
  | { kind: "ownReact"; add: boolean; pick: number }
  | { kind: "pause"; ms: number };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant("connect" as const), awaitReady: fc.boolean() }),
  fc.record({ kind: fc.constant("disconnect" as const), drop: fc.boolean() }),
  fc.record({ kind: fc.constant("reload" as const) }),
  fc.record({ kind: fc.constant("loadOlder" as const) }),
  fc.record({
    kind: fc.constant("othersSend" as const),
    sender: fc.integer({ min: 0, max: 1 }),
    n: fc.integer({ min: 1, max: 6 }),
  }),
  fc.record({ kind: fc.constant("wsOtherSend" as const), n: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant("ownSend" as const), n: fc.integer({ min: 1, max: 3 }) }),
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("othersChange" as const),
      sender: fc.integer({ min: 0, max: 1 }),
      action: fc.constantFrom("edit" as const, "delete" as const, "react" as const, "unreact" as const),
      pick: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
  },
  fc.record({
    kind: fc.constant("ownReact" as const),
    add: fc.boolean(),
    pick: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  fc.record({ kind: fc.constant("pause" as const), ms: fc.integer({ min: 0, max: 25 }) }),
);

const runArb = fc.array(commandArb, { minLength: 1, maxLength: 14 });

/** Everything the other senders have in flight, and the ids stored for them. */
interface OthersState {
  inFlight: Promise<unknown>[];
  storedIds: number[];
  /** the ids each socket.io sender stored (only the author may edit or delete) */
  ownIds: number[][];
  /** the highest seq any acked change took: the client has caught up once it holds it */
  maxSeq: number;
  /** contents sent over /ws not yet seen stored (the plain WebSocket has no acks) */
  wsPending: Set<string>;
}

async function execute(web: WebClientDriver, command: Command, others_: OthersState): Promise<void> {
  switch (command.kind) {
    case "connect":
      if (command.awaitReady) return web.ready();
      return web.connect();
    case "disconnect":
      return web.disconnect(command.drop);
    case "reload":
      return web.client.reload(GENERAL);
    case "loadOlder":
      return web.client.loadOlder(GENERAL);
    case "othersSend": {
      const socket = others[command.sender]!.socket;
      for (let i = 0; i < command.n; i++) {
        const item = tracked(`other ${command.sender} ${randomUUID().slice(0, 8)}`);
        others_.inFlight.push(
          fire(socket, item, ACK_TIMEOUT_MS).then((t) => {
            if (!t.acked) throw new Error(`other's send failed: ${t.failed}`);
            others_.storedIds.push(t.acked.id);
            (others_.ownIds[command.sender] ??= []).push(t.acked.id);
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
      for (let i = 0; i < command.n; i++) web.client.send(GENERAL, `own ${randomUUID().slice(0, 8)}`);
      return;
    case "othersChange":
      return othersChange(command, others_);
    case "ownReact": {
      const held = web.messages().filter((m) => !m.deleted);
      const target = held[Math.floor(command.pick * held.length)];
      if (!target) return;
      const act = command.add ? web.client.react(target.id, "🎉") : web.client.unreact(target.id, "🎉");
      others_.inFlight.push(act.then((ack) => ack.ok && (others_.maxSeq = Math.max(others_.maxSeq, ack.message.seq))));
      return;
    }
    case "pause":
      await new Promise((r) => setTimeout(r, command.ms));
      return;
  }
}

/** Another user changes a stored message; refusals (a message deleted meanwhile) are fine, only acks count. */
async function othersChange(command: Extract<Command, { kind: "othersChange" }>, others_: OthersState): Promise<void> {
  await Promise.all(others_.inFlight); // the sends so far are stored: something to change
  const socket = others[command.sender]!.socket;
  const mine = others_.ownIds[command.sender] ?? [];
  const pool = command.action === "edit" || command.action === "delete" ? mine : others_.storedIds;
  const id = pool[Math.floor(command.pick * pool.length)];
  if (id === undefined) return;
  const ack =
    command.action === "edit"
      ? socket.emitWithAck("message:edit", { id, content: `edited ${randomUUID().slice(0, 8)}` })
      : command.action === "delete"
        ? socket.emitWithAck("message:delete", { id })
        : socket.emitWithAck(command.action === "react" ? "reaction:add" : "reaction:remove", { id, emoji: "👍" });
  others_.inFlight.push(
    ack.then((a) => {
      if (!a.ok) return;
      changes++;
      others_.maxSeq = Math.max(others_.maxSeq, a.message.seq);
    }),
  );
}

/** Everything sent is stored and acked, the client is connected and has shown the newest message. */
async function quiesce(web: WebClientDriver, othersState: OthersState): Promise<void> {
  await Promise.all(othersState.inFlight);
  const wsStored = () => {
    for (const f of wsOther.frames) {
      if (f.type === "message" && othersState.wsPending.delete(f.content)) othersState.storedIds.push(f.id);
    }
    return othersState.wsPending.size === 0;
  };
  await until(wsStored, 5_000, () => `${othersState.wsPending.size} /ws messages not stored`);
  // as a user coming back: connected, and the outbox drains by itself (retries with the same clientId)
  await web.ready();
  await until(
    () => web.state.outbox.length === 0,
    15_000,
    () => `outbox: ${JSON.stringify(web.state.outbox)}`,
  );
  const newest = Math.max(0, ...othersState.storedIds);
  await until(
    () => newest === 0 || web.messages().some((m) => m.id >= newest),
    5_000,
    () => `newest stored ${newest} not shown (cursor ${web.core.lastMessageId})`,
  );
  await web.loadAll();
  // every change acked has reached the timeline (live, or by a catch-up after `since`)
  await until(
    () => othersState.maxSeq === 0 || web.messages().some((m) => m.seq >= othersState.maxSeq),
    5_000,
    () => `change seq ${othersState.maxSeq} not applied (since ${web.core.since})`,
  );
}

describe("the web client's merged view", () => {
  it(`equals a fresh fetch after any interleaving of history, gap fill, live events and sends (${NUM_RUNS} runs)`, async () => {
    const started = Date.now();
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(runArb, async (commands) => {
        runs++;
        const web = new WebClientDriver(server.url, viewerToken, "viewer", stats);
        const othersState: OthersState = { inFlight: [], storedIds: [], ownIds: [], maxSeq: 0, wsPending: new Set() };
        try {
          for (const command of commands) await execute(web, command, othersState);
          await quiesce(web, othersState);
          // a fresh fetch: GET /api/messages?after=0&limit=500, paged on if the room outgrew one page
          const fresh = await fetchAllAfter(server.url, viewerToken, 0);
          expect(web.state.error).toBeNull();
          expect(web.messages().map((m) => m.id)).toEqual(fresh.map((m) => m.id));
          expect(web.messages()).toEqual(fresh);
        } finally {
          web.close();
        }
      }),
      { numRuns: NUM_RUNS, endOnFailure: true },
    );
    console.info(
      `timeline property: ${runs} runs in ${Date.now() - started} ms; ${JSON.stringify(stats)}; ${changes} changes`,
    );
  }, 180_000);
});
