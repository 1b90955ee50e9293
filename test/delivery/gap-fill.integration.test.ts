// Delivery guarantees, gap fill: a client that reconnects with `lastMessageId` (socket.io) or `after`
// (/ws) gets exactly what it missed, oldest first — also across a server restart — and past 1,000 missed
// messages exactly the first 1,000 with `truncated: true`, the rest paged over REST without gaps or repeats.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIMITS, type Message, type WsServerFrame } from "@/lib/protocol";
import { fire, idsOf, openLogged, strictlyIncreasing, tracked, until, type ReceiveLog } from "../helpers/delivery";
import { fetchPage } from "../helpers/remote";
import { startTestServer, type TestServer } from "../helpers/test-server";
import { openWs, type WsClient } from "../helpers/ws-client";

let server: TestServer;
let carolToken: string;
let senderTokens: string[];
const opened: ReceiveLog[] = [];
const wsOpened: WsClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  carolToken = await server.token("carol");
  senderTokens = await Promise.all([server.token("alice"), server.token("bob")]);
  // some history that nobody in these tests missed
  await sendFromOthers(5, "before");
});
afterAll(async () => {
  for (const log of opened) log.socket.disconnect();
  await Promise.all(wsOpened.map((w) => w.close()));
  await server.close();
});

async function open(auth: { token: string; lastMessageId?: number }): Promise<ReceiveLog> {
  const log = await openLogged(server.url, auth);
  opened.push(log);
  return log;
}

async function ws(query: Record<string, string>): Promise<WsClient> {
  const client = await openWs(server.url, query);
  wsOpened.push(client);
  return client;
}

/**
 * Bursts of at most this many sends at once: enough for multi-message group commits, while the writer's
 * batch limit (500, burst.integration.test.ts) is not what this file is about.
 */
const BURST = 200;

/** `count` messages from alice and bob, emitted in bursts of BURST; the stored messages in id order. */
async function sendFromOthers(count: number, prefix: string): Promise<Message[]> {
  const senders = await Promise.all(senderTokens.map((token) => openLogged(server.url, { token })));
  try {
    const items = Array.from({ length: count }, (_, i) => tracked(`${prefix} ${i}`));
    for (let start = 0; start < count; start += BURST) {
      const burst = items.slice(start, start + BURST);
      await Promise.all(burst.map((item, i) => fire(senders[i % senders.length]!.socket, item, 20_000)));
    }
    const failed = items.filter((t) => !t.acked);
    if (failed.length) throw new Error(`${failed.length} sends failed: ${failed[0]!.failed}`);
    return items.map((t) => t.acked!).sort((a, b) => a.id - b.id);
  } finally {
    for (const s of senders) s.socket.disconnect();
  }
}

/** Carol connects, takes the last id she has seen, and disconnects. */
async function carolLastIdThenOffline(): Promise<number> {
  const carol = await open({ token: carolToken });
  const seen = [...carol.histories.flatMap((h) => h.messages), ...carol.live];
  carol.socket.disconnect();
  const last = seen.at(-1)?.id;
  if (last === undefined) throw new Error("carol saw no messages");
  return last;
}

const wsHistory = (client: WsClient) => client.nextOf("history", 10_000);
const wsMessageFrames = (client: WsClient) => client.frames.filter((f: WsServerFrame) => f.type === "message");

describe("socket.io reconnect with lastMessageId", () => {
  it("gets exactly the 200 messages sent while offline, in order, and nothing live", async () => {
    const lastId = await carolLastIdThenOffline();
    const missed = await sendFromOthers(200, "while carol was away");
    expect(missed).toHaveLength(200);
    expect(missed[0]!.id).toBeGreaterThan(lastId);

    const carol = await open({ token: carolToken, lastMessageId: lastId });
    expect(carol.histories).toHaveLength(1);
    expect(carol.histories[0]).toStrictEqual({ messages: missed });
    // the barrier: a message sent now arrives live, and is the first one to (the gap fill repeated none)
    const [marker] = await sendFromOthers(1, "marker");
    await until(
      () => carol.live.length > 0,
      10_000,
      () => "the marker did not arrive",
    );
    expect(carol.live).toEqual([marker]);
  });

  it("gets exactly those 200 when the server restarted in between (restart on the same database)", async () => {
    const lastId = await carolLastIdThenOffline();
    const beforeRestart = await sendFromOthers(120, "before the restart");
    for (const log of opened.splice(0)) log.socket.disconnect();
    const dir = server.dir;
    await server.close({ keepData: true });
    server = await startTestServer({ dir });
    const afterRestart = await sendFromOthers(80, "after the restart");
    const missed = [...beforeRestart, ...afterRestart];
    expect(strictlyIncreasing(idsOf(missed))).toBe(true);

    const carol = await open({ token: carolToken, lastMessageId: lastId });
    expect(carol.histories).toStrictEqual([{ messages: missed }]);

    // the plain WebSocket, after the same restart
    const plain = await ws({ token: carolToken, after: String(lastId) });
    expect(await wsHistory(plain)).toStrictEqual({ type: "history", messages: missed });
  });

  it("past 1000 missed: exactly the first 1000 with truncated, and REST paging gives the rest with no gap or repeat", async () => {
    const lastId = await carolLastIdThenOffline();
    const missed = await sendFromOthers(1234, "a long absence");
    expect(missed).toHaveLength(1234);

    const carol = await open({ token: carolToken, lastMessageId: lastId });
    expect(carol.histories).toHaveLength(1);
    const history = carol.histories[0]!;
    expect(history.truncated).toBe(true);
    expect(history.messages).toHaveLength(LIMITS.gapFillMax);
    expect(history.messages).toEqual(missed.slice(0, LIMITS.gapFillMax));

    // page the rest: GET /api/messages?after=<last id so far> (Bearer), 100 at a time, then a short page
    const rest: Message[] = [];
    const pageSizes: number[] = [];
    for (let after = history.messages.at(-1)!.id; ;) {
      const page = await fetchPage(server.url, carolToken, { after, limit: 100 });
      pageSizes.push(page.length);
      rest.push(...page);
      if (page.length < 100) break;
      after = page.at(-1)!.id;
    }
    expect(pageSizes).toEqual([100, 100, 34]);
    const all = [...history.messages, ...rest];
    expect(new Set(idsOf(all)).size).toBe(all.length);
    expect(strictlyIncreasing(idsOf(all))).toBe(true);
    expect(all).toEqual(missed);

    // the plain WebSocket caps the same way
    const plain = await ws({ token: carolToken, after: String(lastId) });
    const frame = await wsHistory(plain);
    expect(frame.truncated).toBe(true);
    expect(frame.messages).toEqual(missed.slice(0, LIMITS.gapFillMax));
  });
});

describe("plain WebSocket reconnect with /ws?token=…&after=N", () => {
  it("gets exactly the 200 messages sent while offline, in order, and nothing live", async () => {
    const first = await ws({ token: carolToken });
    const seen = (await wsHistory(first)).messages;
    await first.close();
    const lastId = seen.at(-1)!.id;

    const missed = await sendFromOthers(200, "while the ws client was away");
    const again = await ws({ token: carolToken, after: String(lastId) });
    expect(await wsHistory(again)).toStrictEqual({ type: "history", messages: missed });
    const [marker] = await sendFromOthers(1, "marker");
    await until(
      () => wsMessageFrames(again).length > 0,
      10_000,
      () => "the marker did not arrive",
    );
    expect(wsMessageFrames(again).map((f) => ("id" in f ? f.id : f))).toEqual([marker!.id]);
  });

  it("after=0 / lastMessageId: 0 count as a position (everything from the start, capped), not as 'no gap fill'", async () => {
    // (the database holds well over 1000 messages by now)
    const first = await fetchPage(server.url, carolToken, { after: 0, limit: LIMITS.pageMax });
    const expected = [
      ...first,
      ...(await fetchPage(server.url, carolToken, { after: first.at(-1)!.id, limit: LIMITS.pageMax })),
    ];
    const all = await ws({ token: carolToken, after: "0" });
    const frame = await wsHistory(all);
    expect(frame.truncated).toBe(true);
    expect(frame.messages).toEqual(expected.slice(0, LIMITS.gapFillMax));
    expect(frame.messages[0]!.id).toBe(1);

    const carol = await open({ token: carolToken, lastMessageId: 0 });
    expect(carol.histories).toStrictEqual([{ messages: expected.slice(0, LIMITS.gapFillMax), truncated: true }]);
  });
});
