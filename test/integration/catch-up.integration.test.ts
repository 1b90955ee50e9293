// Catch-up by seq (SPEC.md "Message actions"): auth.since on socket.io, /ws?since= and GET /api/changes carry
// every message created or changed after a seq in the user's rooms, each once, ascending, capped at 1000.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIMITS, type Ack, type ChangesResponse, type Message } from "@/lib/protocol";
import { nextEvent, startTestServer, type TestServer, type TestSocket } from "../helpers/test-server";
import { openWs } from "../helpers/ws-client";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const ok = (ack: Ack<{ message: Message }>): Message => {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.detail}`);
  return ack.message;
};

async function changes(token: string, since: number, limit?: number): Promise<ChangesResponse> {
  const qs = `since=${since}${limit ? `&limit=${limit}` : ""}`;
  const res = await fetch(`${server.url}/api/changes?${qs}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as ChangesResponse;
}

const maxSeq = (ms: Message[]) => Math.max(0, ...ms.map((m) => m.seq));

describe("catch-up by seq", () => {
  let alice: { token: string; socket: TestSocket };
  let bobToken: string;
  let bob: TestSocket;

  beforeAll(async () => {
    alice = { token: await server.token("alice"), socket: undefined as unknown as TestSocket };
    bobToken = await server.token("bob");
    bob = server.connect({ token: bobToken });
    await nextEvent(bob, "history");
  });

  it("a socket reconnecting with auth.since gets exactly the server's changed set, tombstones included", async () => {
    const sent: Message[] = [];
    for (let i = 0; i < 4; i++) sent.push(ok(await bob.emitWithAck("message:send", { content: `before ${i}` })));
    // a room alice is not in: its changes never reach her
    expect((await bob.emitWithAck("room:create", { name: "bobonly", private: true })).ok).toBe(true);
    const hidden = ok(await bob.emitWithAck("message:send", { content: "secret", room: "bobonly" }));

    alice.socket = server.connect({ token: alice.token });
    const seen = (await nextEvent(alice.socket, "history")).messages;
    const since = maxSeq(seen);
    expect(seen.map((m) => m.id)).toEqual(expect.arrayContaining(sent.map((m) => m.id)));
    alice.socket.disconnect();

    const [m0, m1, m2] = sent as [Message, Message, Message];
    ok(await bob.emitWithAck("message:edit", { id: m0.id, content: "edited while away" }));
    ok(await bob.emitWithAck("reaction:add", { id: m0.id, emoji: "👋" }));
    ok(await bob.emitWithAck("message:delete", { id: m1.id }));
    ok(await bob.emitWithAck("reaction:add", { id: m2.id, emoji: "✅" }));
    const fresh = [
      ok(await bob.emitWithAck("message:send", { content: "new 1" })),
      ok(await bob.emitWithAck("message:send", { content: "new 2", replyTo: m2.id })),
    ];
    ok(await bob.emitWithAck("message:edit", { id: hidden.id, content: "still secret" }));

    const back = server.connect({ token: alice.token, since });
    const history = await nextEvent(back, "history");
    const rest = await changes(alice.token, since);
    expect(history.truncated).toBeUndefined();
    expect(history.messages).toEqual(rest.messages);
    expect(history.messages.map((m) => m.id)).toEqual([m0.id, m1.id, m2.id, ...fresh.map((m) => m.id)]);
    const seqs = history.messages.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(history.messages.map((m) => m.id)).size).toBe(history.messages.length);
    expect(history.messages[1]).toMatchObject({ id: m1.id, deleted: true, content: "", reactions: [] });
    expect(history.messages[0]).toMatchObject({ content: "edited while away", reactions: [{ emoji: "👋" }] });
    expect(rest.next).toBe(maxSeq(history.messages));

    const ws = await openWs(server.url, { token: alice.token, since: String(since) });
    const wsHistory = await ws.nextOf("history");
    expect(wsHistory.messages).toEqual(history.messages);
    await ws.close();
    back.disconnect();

    // nothing since the newest: empty, and next stays put
    expect(await changes(alice.token, rest.next)).toEqual({ messages: [], next: rest.next });
  });

  it("caps at 1000 with truncated: true; /api/changes pages the rest through next", async () => {
    const since = (await changes(alice.token, 0)).next;
    const start = (await changes(alice.token, since)).next;
    const total = LIMITS.changesMax + 25;
    for (let i = 0; i < total; i += 100) {
      const batch = Array.from({ length: Math.min(100, total - i) }, (_, j) =>
        bob.emitWithAck("message:send", { content: `bulk ${i + j}` }),
      );
      (await Promise.all(batch)).forEach(ok);
    }
    const socket = server.connect({ token: alice.token, since: start });
    const history = await nextEvent(socket, "history", 10_000);
    expect(history.truncated).toBe(true);
    expect(history.messages).toHaveLength(LIMITS.changesMax);

    const first = await changes(alice.token, start, LIMITS.changesMax);
    expect(first.messages).toEqual(history.messages);
    expect(first.next).toBe(maxSeq(first.messages));
    const second = await changes(alice.token, first.next);
    expect(second.messages).toHaveLength(25);
    const ids = [...first.messages, ...second.messages].map((m) => m.id);
    expect(new Set(ids).size).toBe(total);
    socket.disconnect();
  });

  it("refuses a bad since on the handshake and on REST", async () => {
    const socket = server.connect({ token: alice.token, since: -1 });
    const err = await new Promise<Error>((resolve) => socket.once("connect_error", resolve));
    expect(err.message).toBe("since must be a non-negative integer");
    const res = await fetch(`${server.url}/api/changes?since=abc`, {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    expect(res.status).toBe(422);
    expect((await fetch(`${server.url}/api/changes`)).status).toBe(401);
  });
});
