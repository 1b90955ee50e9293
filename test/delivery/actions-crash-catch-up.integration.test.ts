// Catch-up by seq across a server crash (issue #11, "Across a server SIGKILL and restart too"). Alice holds a
// room's messages in three clients: the real web client offline (disconnected by the user), the real web
// client left connected (its socket dies with the server), and a raw /ws client that reconnects with
// `?since=`. While she is away Bob edits, deletes and reacts to messages she holds and sends new ones, all
// acked; then the server process is killed with SIGKILL and restarted on the same database. Each of her
// clients reconnects and ends with exactly what a fresh fetch of the room returns: nothing acked was lost to
// the crash, the seq sequence goes on where it stopped, and a deleted message stays not_found.
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { LIMITS, type Ack, type Message } from "@/lib/protocol";
import { until } from "../helpers/delivery";
import { connectSocket, fetchAllAfter, registerAndLogin } from "../helpers/remote";
import { makeServerDir, spawnServer, type ServerProcess } from "../helpers/server-process";
import { waitConnected } from "../helpers/socket-utils";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy";
import type { TestSocket } from "../helpers/test-server";
import { GENERAL, newCounters, WebClientDriver } from "../helpers/web-client";
import { openWs, type WsClient } from "../helpers/ws-client";

const dir = makeServerDir("chatterbox-actions-crash-");
const processes: ServerProcess[] = [];
const sockets: TestSocket[] = [];
const drivers: WebClientDriver[] = [];
const wsClients: WsClient[] = [];
let proxy: TcpProxy | undefined;

afterAll(async () => {
  for (const d of drivers) d.close();
  for (const s of sockets) s.disconnect();
  await Promise.all(wsClients.map((w) => w.close()));
  await proxy?.close();
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

const ok = (ack: Ack<{ message: Message }>): Message => {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.detail}`);
  return ack.message;
};
const refusal = (ack: Ack<{ message: Message }>) => (ack.ok ? "ok" : ack.error.code);

/**
 * What a minimal /ws client shows: every message at its newest seq, reply quotes following their parent
 * (as the web client's applyChanges does), from history, `message` and `updated` frames.
 */
class WsView {
  private readonly byId = new Map<number, Message>();
  private client: WsClient | undefined;
  private taken = 0;

  follow(client: WsClient): void {
    this.client = client;
    this.taken = 0;
  }

  private put(m: Message): void {
    if (m.seq > (this.byId.get(m.id)?.seq ?? -1)) this.byId.set(m.id, m);
  }

  /** Takes the frames received since the last call. */
  absorb(): void {
    const frames = this.client?.frames ?? [];
    for (; this.taken < frames.length; this.taken++) {
      const frame = frames[this.taken]!;
      if (frame.type === "history") frame.messages.forEach((m) => this.put(m));
      else if (frame.type === "message" || frame.type === "updated") {
        const { type: _type, ...message } = frame;
        this.put(message);
      }
    }
  }

  get since(): number {
    this.absorb();
    return Math.max(0, ...[...this.byId.values()].map((m) => m.seq));
  }

  messages(): Message[] {
    this.absorb();
    return [...this.byId.values()]
      .sort((a, b) => a.id - b.id)
      .map((m) => {
        const parent = m.replyTo ? this.byId.get(m.replyTo.id) : undefined;
        if (!parent || !m.replyTo) return m;
        const quote = parent.deleted ? "" : [...parent.content].slice(0, LIMITS.replyQuoteMax).join("");
        return { ...m, replyTo: { ...m.replyTo, content: quote } };
      });
  }
}

type Eight = [Message, Message, Message, Message, Message, Message, Message, Message];

/** Resolves once `held()` shows a message at seq ≥ `seq`. */
const holds = (what: string, held: () => Message[], seq: number) =>
  until(
    () => held().some((m) => m.seq >= seq),
    15_000,
    () => `${what} does not hold seq ${seq} (has up to ${Math.max(0, ...held().map((m) => m.seq))})`,
  );

describe("catch-up by seq across a server SIGKILL and restart", () => {
  it("an offline web client, a connected one and a raw /ws client each end with exactly the server's state", async () => {
    const first = await start();
    proxy = await startTcpProxy(first.url);
    const aliceToken = await registerAndLogin(first.url, "alice");
    const bobToken = await registerAndLogin(first.url, "bob");
    const bob = await connect(first.url, bobToken);
    const send = async (content: string, replyTo?: number) =>
      ok(await bob.emitWithAck("message:send", { content, ...(replyTo && { replyTo }) }));

    // ---- before: Alice's three clients hold everything ------------------------------------------------------
    const b: Message[] = [];
    for (let i = 0; i < 8; i++) b.push(await send(`bob ${i}`));
    const [b0, b1, b2, b3, b4, b5, b6, b7] = b as Eight;
    const r0 = await send("answering bob 5", b5.id);
    const offlineCounters = newCounters();
    const offline = new WebClientDriver(proxy.url, aliceToken, "alice", offlineCounters);
    const online = new WebClientDriver(proxy.url, aliceToken, "alice");
    drivers.push(offline, online);
    await Promise.all([offline.ready(), online.ready()]);
    offline.client.send(GENERAL, "alice before");
    expect((await online.client.react(b6.id, "🎉")).ok).toBe(true);
    const ws1 = await openWs(first.url, { token: aliceToken });
    wsClients.push(ws1);
    const view = new WsView();
    view.follow(ws1);
    await until(
      () => offline.state.outbox.length === 0,
      10_000,
      () => "alice's message not acked",
    );
    const before = await fetchAllAfter(first.url, aliceToken, 0);
    const seqBefore = Math.max(...before.map((m) => m.seq));
    await holds("the offline client", () => offline.messages(), seqBefore);
    await holds("the connected client", () => online.messages(), seqBefore);
    await holds("the /ws client", () => view.messages(), seqBefore);
    expect(view.messages()).toEqual(before);

    // ---- Alice goes away; Bob changes what she holds and writes more, every change acked ----------------------
    offline.disconnect();
    const wsSince = view.since;
    await ws1.close();
    const alice0 = before.find((m) => m.content === "alice before")!;
    const acked: Message[] = [
      ok(await bob.emitWithAck("message:edit", { id: b0.id, content: "bob 0, fixed" })),
      ok(await bob.emitWithAck("message:edit", { id: b0.id, content: "bob 0, fixed twice" })),
      ok(await bob.emitWithAck("message:delete", { id: b1.id })),
      ok(await bob.emitWithAck("reaction:add", { id: b2.id, emoji: "👍" })),
      ok(await bob.emitWithAck("reaction:add", { id: alice0.id, emoji: "👨‍👩‍👧" })),
      ok(await bob.emitWithAck("reaction:add", { id: b3.id, emoji: "👀" })),
      ok(await bob.emitWithAck("reaction:remove", { id: b3.id, emoji: "👀" })),
      // the parent of a reply she holds: its quote must follow
      ok(await bob.emitWithAck("message:delete", { id: b5.id })),
      // a message with her reaction on it: the tombstone has none
      ok(await bob.emitWithAck("message:delete", { id: b6.id })),
    ];
    const r1 = await send("answering bob 4", b4.id);
    acked.push(r1, ok(await bob.emitWithAck("message:edit", { id: b4.id, content: "bob 4, reworded" })));
    for (let i = 0; i < 3; i++) acked.push(await send(`while away ${i}`));
    // written offline: the outbox holds it until a server is back
    offline.client.send(GENERAL, "alice, written offline");
    const seqAtKill = Math.max(...acked.map((m) => m.seq));
    await holds("the connected client", () => online.messages(), seqAtKill);

    // ---- kill -9, restart on the same database ----------------------------------------------------------------
    await first.kill("SIGKILL");
    const second = await start();
    proxy.target(second.url);
    const bob2 = await connect(second.url, bobToken);

    // a tombstone survives the crash, and a deleted message takes no action (SPEC: not_found)
    expect(refusal(await bob2.emitWithAck("message:delete", { id: b1.id }))).toBe("not_found");
    expect(refusal(await bob2.emitWithAck("message:edit", { id: b5.id, content: "back" }))).toBe("not_found");
    expect(refusal(await bob2.emitWithAck("reaction:add", { id: b6.id, emoji: "👍" }))).toBe("not_found");
    // the sequence goes on past every seq acked before the crash
    const afterRestart = [
      ok(await bob2.emitWithAck("message:edit", { id: b7.id, content: "bob 7, after the restart" })),
      ok(await bob2.emitWithAck("message:send", { content: "after the restart", replyTo: b0.id })),
    ];
    expect(afterRestart[0]!.seq).toBeGreaterThan(seqAtKill);
    expect(afterRestart[1]!.seq).toBeGreaterThan(afterRestart[0]!.seq);

    // ---- Alice comes back on every client -------------------------------------------------------------------
    const catchUpsBefore = offlineCounters.catchUps;
    await Promise.all([offline.ready(), online.ready()]);
    expect(offlineCounters.catchUps).toBeGreaterThan(catchUpsBefore); // the handshake carried since
    await until(
      () => offline.state.outbox.length === 0,
      15_000,
      () => `outbox: ${JSON.stringify(offline.state.outbox)}`,
    );
    const ws2 = await openWs(second.url, { token: aliceToken, since: String(wsSince) });
    wsClients.push(ws2);
    view.follow(ws2);
    const history = await ws2.nextOf("history");
    expect(history.truncated).toBeUndefined();
    // everything changed after her cursor, each once, ascending by seq, tombstones included
    expect(history.messages.map((m) => m.seq)).toEqual(
      [...new Set(history.messages.map((m) => m.seq))].sort((x, y) => x - y),
    );
    expect(history.messages.every((m) => m.seq > wsSince)).toBe(true);
    expect(history.messages.map((m) => m.id)).toEqual(expect.arrayContaining([b1.id, b5.id, b6.id]));

    const fresh = await fetchAllAfter(second.url, aliceToken, 0);
    const newest = Math.max(...fresh.map((m) => m.seq));
    expect(fresh.length).toBeLessThan(LIMITS.historyDefault); // the whole room fits the clients' first page
    await holds("the offline client", () => offline.messages(), newest);
    await holds("the connected client", () => online.messages(), newest);
    await holds("the /ws client", () => view.messages(), newest);
    expect(offline.state.error).toBeNull();
    expect(offline.messages()).toEqual(fresh);
    expect(online.messages()).toEqual(fresh);
    expect(view.messages()).toEqual(fresh);

    // ---- and that state is every acked change, none lost to the crash ---------------------------------------
    const byId = new Map(fresh.map((m) => [m.id, m]));
    for (const m of [...acked, ...afterRestart]) expect(byId.get(m.id)!.seq).toBeGreaterThanOrEqual(m.seq);
    expect(byId.get(b0.id)).toMatchObject({ content: "bob 0, fixed twice", editedAt: expect.any(String) as string });
    for (const gone of [b1, b5, b6]) {
      expect(byId.get(gone.id)).toMatchObject({ deleted: true, content: "", reactions: [] });
    }
    expect(byId.get(b2.id)!.reactions).toEqual([{ emoji: "👍", count: 1, users: ["bob"] }]);
    expect(byId.get(alice0.id)!.reactions).toEqual([{ emoji: "👨‍👩‍👧", count: 1, users: ["bob"] }]);
    expect(byId.get(b3.id)!.reactions).toEqual([]);
    expect(byId.get(r0.id)!.replyTo).toEqual({ id: b5.id, username: "bob", content: "", botName: null });
    expect(byId.get(r1.id)!.replyTo).toEqual({ id: b4.id, username: "bob", content: "bob 4, reworded", botName: null });
    expect(fresh.filter((m) => m.content === "alice, written offline")).toHaveLength(1);
  }, 90_000);
});
