// Back-pressure (issue 18): one account opens 20 sockets — 10 on /ws, 10 on socket.io (one of them the
// real client core, as the web UI and the terminal client run it) — and stops reading their TCP sockets
// while another user sends 20,000 messages of 2 KB (40 MB) into general. The server (a child process, so
// its memory is its own) must cut every one of them off, hold nothing for them once the flood is over, keep
// acking the sender and feeding a healthy reader, and a cut-off client that reconnects with its cursor must
// get every message once.
//
// Memory is measured twice. Live memory (heap and Buffers after a full GC, in the server) is what the slow
// consumers could cost: it grows by about 1 MB with the cut-off and by 195 MB without it, on either database.
// RSS is what an operator sees: it also holds garbage V8 has promoted and not collected yet. On SQLite that
// stays under 30 MB; on PostgreSQL the batches' round trips keep each message in flight longer, and V8
// promotes 50–100 MB of them during the flood (the same with no slow consumer at all: 2026-12-07, 55–92 MB).
// Without the cut-off RSS grows by 220–250 MB on both.
import { readFileSync, rmSync } from "node:fs";
import type { Socket as NetSocket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type WebSocket from "ws";
import { ChatCore } from "@/lib/client/chat-core";
import { tokenTransport } from "@/lib/client/transport";
import type { Message } from "@/lib/protocol";
import { until } from "../helpers/delivery";
import { connectSocket, fetchAllAfter, registerAndLogin } from "../helpers/remote";
import { makeServerDir, spawnServer, type LiveMemory, type ServerProcess } from "../helpers/server-process";
import { onPostgres } from "../helpers/test-database";
import { send, waitConnected } from "../helpers/socket-utils";
import type { TestSocket } from "../helpers/test-server";
import { openWs, type WsClient } from "../helpers/ws-client";

const MESSAGES = 20_000;
const CONTENT_BYTES = 2000;
const WINDOW = 64; // sends in flight
const MAX_BYTES = 256 * 1024;
/** RSS growth allowed during the flood: see the top of this file for what PostgreSQL adds */
const MAX_RSS_GROWTH = (onPostgres ? 150 : 60) * 1048576;
/** live memory the server may hold after the flood, while the 20 still do not read */
const MAX_LIVE_GROWTH = 16 * 1048576;

const rssOf = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : 0;
};
const mb = (bytes: number) => (bytes / 1048576).toFixed(1);
const liveBytes = (m: LiveMemory) => m.heapUsed + m.external;

// what a client that "stops reading" does: its TCP socket no longer takes anything from the kernel
const wsTcp = (ws: WebSocket) => (ws as unknown as { _socket: NetSocket })._socket;
const sioTcp = (socket: TestSocket) => wsTcp((socket.io.engine.transport as unknown as { ws: WebSocket }).ws);

let server: ServerProcess;
let dir: string;

beforeAll(async () => {
  dir = makeServerDir("chatterbox-slow-");
  server = await spawnServer({
    dir,
    liveMemory: true,
    env: { SLOW_CLIENT_MAX_BYTES: String(MAX_BYTES), SLOW_CLIENT_MAX_MS: "5000", LOG_LEVEL: "warn" },
  });
});

afterAll(async () => {
  await server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe("clients that stop reading", () => {
  it("are cut off, cost no memory, slow no one down, and catch up exactly once after reconnecting", async () => {
    const url = server.url;
    const slowToken = await registerAndLogin(url, "sloth");
    const senderToken = await registerAndLogin(url, "sender");
    const readerToken = await registerAndLogin(url, "reader");

    // 9 + 1 /ws sockets; the last one is reconnected by hand with its cursor
    const wsClients: WsClient[] = [];
    for (let i = 0; i < 10; i++) {
      const c = await openWs(url, { token: slowToken });
      await c.nextOf("history");
      wsClients.push(c);
    }
    // 9 socket.io sockets, and the client core (reconnects by itself, as the web UI and CLI do)
    const sioClients: TestSocket[] = [];
    const sioDisconnects: string[] = [];
    for (let i = 0; i < 9; i++) {
      const s = connectSocket(url, { token: slowToken });
      const history = new Promise((resolve) => s.once("history", resolve));
      await waitConnected(s);
      await history;
      s.on("disconnect", (reason) => sioDisconnects.push(reason));
      sioClients.push(s);
    }
    const handed: Message[] = [];
    const states: string[] = [];
    const core = new ChatCore({
      ...tokenTransport(url, slowToken),
      handlers: {
        messages: (batch) => handed.push(...batch),
        ready: () => undefined,
        state: (state, detail) => states.push(`${state}${detail ? ` (${detail})` : ""}`),
        notice: () => undefined,
        unauthorized: () => undefined,
      },
    });
    core.start();
    await core.whenReady();
    const coreSocket: TestSocket = core.socket;

    // a healthy reader of general and the sender
    const reader = connectSocket(url, { token: readerToken });
    const sender = connectSocket(url, { token: senderToken });
    await Promise.all([waitConnected(reader), waitConnected(sender)]);
    let readerGot = 0;
    reader.on("message:new", () => readerGot++);

    // they stop reading
    for (const c of wsClients) wsTcp(c.ws).pause();
    for (const s of [...sioClients, coreSocket]) sioTcp(s).pause();
    await new Promise((r) => setTimeout(r, 200));

    const live0 = await server.liveMemory();
    const rss0 = rssOf(server.child.pid!);
    let rssMax = rss0;
    const sampler = setInterval(() => (rssMax = Math.max(rssMax, rssOf(server.child.pid!))), 50);

    // 40 MB into general, WINDOW sends in flight, every ack timed
    const t0 = Date.now();
    const sentIds: number[] = [];
    let lastAckAt = t0;
    let maxAckGapMs = 0;
    let failed = 0;
    let next = 0;
    const body = "x".repeat(CONTENT_BYTES - 8);
    const sendOne = async (): Promise<void> => {
      while (next < MESSAGES) {
        const i = next++;
        const ack = await send(sender, { content: `${String(i).padStart(7, "0")} ${body}` }, 10_000);
        const now = Date.now();
        maxAckGapMs = Math.max(maxAckGapMs, now - lastAckAt);
        lastAckAt = now;
        if (ack.ok) sentIds.push(ack.message.id);
        else failed++;
      }
    };
    try {
      await Promise.all(Array.from({ length: WINDOW }, sendOne));
    } catch (err) {
      clearInterval(sampler);
      throw new Error(`${String(err)} after ${sentIds.length} acks; server log:\n${server.stdoutLines().join("\n")}`);
    }
    const floodMs = Date.now() - t0;
    await until(
      () => readerGot >= MESSAGES,
      20_000,
      () => `reader got ${readerGot}/${MESSAGES}`,
    ).finally(() => clearInterval(sampler));
    const growth = rssMax - rss0;
    // the 20 still do not read: whatever the server kept for them would be live now
    const liveGrowth = liveBytes(await server.liveMemory()) - liveBytes(live0);

    // every one of the 20 was cut off by the server (its warn line), while the flood ran (without the cut-off:
    // none is, and RSS grows by over 200 MB)
    const cutOffs = server
      .stdoutLines()
      .map((l) => {
        try {
          return JSON.parse(l) as { msg?: string; time?: number; transport?: string };
        } catch {
          return {};
        }
      })
      .filter((l) => l.msg?.startsWith("slow consumer"));
    const lastCutMs = Math.max(...cutOffs.map((l) => (l.time ?? 0) - t0));
    process.stderr.write(
      `slow consumers: ${MESSAGES} msgs in ${floodMs} ms, RSS +${mb(growth)} MB (max), live +${mb(liveGrowth)} MB, ` +
        `${cutOffs.length} cut off, the last ${lastCutMs} ms into the flood, max ack gap ${maxAckGapMs} ms\n`,
    );
    expect(failed).toBe(0);
    expect(sentIds).toHaveLength(MESSAGES);
    expect(cutOffs).toHaveLength(20);
    expect(cutOffs.filter((l) => l.transport === "ws")).toHaveLength(10);
    expect(liveGrowth).toBeLessThan(MAX_LIVE_GROWTH);
    expect(growth).toBeLessThan(MAX_RSS_GROWTH);
    expect(maxAckGapMs).toBeLessThan(3000);
    expect(readerGot).toBe(MESSAGES);

    // they read again: what the kernel held, then the end of the connection
    for (const s of [...sioClients, coreSocket]) sioTcp(s).resume();
    for (const c of wsClients) wsTcp(c.ws).resume();
    const closes = await Promise.all(wsClients.map((c) => c.closed));
    for (const { code } of closes) expect([1006, 1013]).toContain(code);
    await until(
      () => sioDisconnects.length === 9,
      10_000,
      () => `socket.io disconnects: ${sioDisconnects.join(", ")}`,
    );
    expect(new Set(sioDisconnects)).toEqual(new Set(["transport close"]));

    const all = [...sentIds].sort((a, b) => a - b);

    // /ws: the frames it got before the close, then history from its cursor and REST pages after it
    const ws = wsClients.at(-1)!;
    const before = ws.frames.flatMap((f) => (f.type === "message" ? [f.id] : []));
    const cursor = Math.max(...before);
    const again = await openWs(url, { token: slowToken, after: String(cursor) });
    const history = await again.nextOf("history");
    const fromHistory = history.messages.map((m) => m.id);
    const rest = await fetchAllAfter(url, slowToken, fromHistory.at(-1) ?? cursor);
    await again.close();
    const wsIds = [...before, ...fromHistory, ...rest.map((m) => m.id)].filter((id) => id >= all[0]!);
    expect(new Set(wsIds).size).toBe(wsIds.length); // nothing twice
    expect(wsIds).toEqual(all); // nothing missing, in order

    // the client core: reconnects by itself (backoff + jitter) with its cursor and catches up, each message once
    await until(
      () => handed.filter((m) => m.id >= all[0]!).length >= MESSAGES,
      30_000,
      () => `core has ${handed.filter((m) => m.id >= all[0]!).length}/${MESSAGES}; states ${states.join(" → ")}`,
    );
    const coreIds = handed.map((m) => m.id).filter((id) => id >= all[0]!);
    expect(new Set(coreIds).size).toBe(coreIds.length);
    expect([...coreIds].sort((a, b) => a - b)).toEqual(all);
    expect(states).toContain("reconnecting (transport close)");
    expect(states.at(-1)).toBe("connected");

    core.close();
    for (const s of [...sioClients, reader, sender]) s.disconnect();
  }, 90_000);
});
