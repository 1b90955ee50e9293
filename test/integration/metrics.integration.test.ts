// GET /metrics (SPEC.md "Integrations"): Prometheus text that a Prometheus parser reads, with the series the
// operators need (connections by transport, messages and changes, ack and commit timings, event-loop lag,
// database size, online users, the protective cut-offs), and the access rules: loopback only without
// METRICS_TOKEN (a trusted proxy's relayed client is not loopback), the Bearer token with it.
import parse, { type MetricFamily } from "parse-prometheus-text-format";
import type { Socket as NetSocket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIMITS, type Ack } from "@/lib/protocol";
import { nextEvent, startTestServer, type TestServer, type TestSocket } from "../helpers/test-server";
import { openWs } from "../helpers/ws-client";

function ok<T extends object>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.detail}`);
  return ack;
}

async function scrape(server: TestServer, headers: Record<string, string> = {}): Promise<Map<string, MetricFamily>> {
  const res = await fetch(`${server.url}/metrics`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return new Map(parse(await res.text()).map((f) => [f.name, f]));
}

const value = (f: MetricFamily | undefined, labels: Record<string, string> = {}): number => {
  const sample = f?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return Number(sample?.value ?? sample?.count ?? NaN);
};

describe("without METRICS_TOKEN", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { TRUST_PROXY: "true" } });
  });
  afterAll(async () => {
    await server.close();
  });

  it("counts connections by transport, messages, changes, acks, commits and online users", async () => {
    const before = await scrape(server);
    const token = await server.token("metrics1");
    const socket = server.connect({ token });
    await nextEvent(socket, "history");
    const ws = await openWs(server.url, { token });
    await ws.nextOf("history");
    const { message } = ok(await socket.emitWithAck("message:send", { content: "counted" }));
    ok(await socket.emitWithAck("message:edit", { id: message.id, content: "counted twice" }));
    ok(await socket.emitWithAck("reaction:add", { id: message.id, emoji: "👍" }));

    const after = await scrape(server);
    expect(value(after.get("chatterbox_connections"), { transport: "socketio" })).toBe(1);
    expect(value(after.get("chatterbox_connections"), { transport: "ws" })).toBe(1);
    expect(value(after.get("chatterbox_online_users"))).toBe(1);
    const grew = (name: string) => value(after.get(name)) - (value(before.get(name)) || 0);
    expect(grew("chatterbox_messages_total")).toBe(1);
    expect(grew("chatterbox_message_changes_total")).toBe(2);
    expect(after.get("chatterbox_socket_ack_seconds")?.type).toBe("HISTOGRAM");
    expect(grew("chatterbox_socket_ack_seconds")).toBeGreaterThanOrEqual(3); // count of acks observed
    expect(grew("chatterbox_commit_batch_operations")).toBeGreaterThanOrEqual(1); // three ops, one or more commits
    expect(value(after.get("chatterbox_commit_seconds"))).toBeGreaterThan(0);
    expect(value(after.get("chatterbox_database_bytes"))).toBeGreaterThan(4096);
    expect(value(after.get("nodejs_eventloop_lag_seconds"))).toBeGreaterThanOrEqual(0);
    expect(value(after.get("chatterbox_slow_clients_disconnected_total"))).toBe(0);
    await ws.close();
  });

  it("mirrors the protective counters", async () => {
    server.counters.slowClientsDisconnected += 2;
    const seen = await scrape(server);
    expect(value(seen.get("chatterbox_slow_clients_disconnected_total"))).toBe(2);
    expect(value((await scrape(server)).get("chatterbox_slow_clients_disconnected_total"))).toBe(2);
  });

  it("refuses a client that is not on loopback (here relayed by a trusted proxy) with a clear 403", async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/METRICS_TOKEN/);
  });
});

describe("with METRICS_TOKEN", () => {
  const TOKEN = "scrape-me-0123456789abcdef";
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await server.close();
  });

  it("needs the Bearer token, even from loopback", async () => {
    const tries: Record<string, string>[] = [
      {},
      { authorization: "Bearer wrong" },
      { authorization: `Bearer ${TOKEN}x` },
    ];
    for (const headers of tries) {
      const res = await fetch(`${server.url}/metrics`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
    const families = await scrape(server, { authorization: `Bearer ${TOKEN}` });
    expect(families.has("chatterbox_messages_total")).toBe(true);
  });
});

describe("the outbound backlog", () => {
  let server: TestServer;
  beforeAll(async () => {
    // a cap far above what is sent here: the stalled socket is never cut off, its backlog only grows
    server = await startTestServer({ env: { SLOW_CLIENT_MAX_BYTES: String(256 * 1024 * 1024) } });
  });
  afterAll(async () => {
    await server.close();
  });

  it("shows a socket that stopped reading and the bytes queued for it, and none once it reads again", async () => {
    const tokens = [await server.token("stalled"), await server.token("sender")];
    const [stalled, sender] = tokens.map((token) => server.connect({ token })) as [TestSocket, TestSocket];
    await Promise.all([nextEvent(stalled, "history"), nextEvent(sender, "history")]);
    const tcp = (stalled.io.engine.transport as unknown as { ws: { _socket: NetSocket } }).ws._socket;
    tcp.pause();
    const quiet = await scrape(server);
    expect(value(quiet.get("chatterbox_sockets_with_backlog"))).toBe(0);
    expect(value(quiet.get("chatterbox_outbound_backlog_bytes"))).toBe(0);

    // 16 KB messages until the kernel's buffers of the stalled socket are full and the rest waits here
    const content = "🙂".repeat(LIMITS.contentMax);
    let backlog = new Map<string, MetricFamily>();
    for (let sent = 0; value(backlog.get("chatterbox_sockets_with_backlog")) !== 1; sent += 32) {
      expect(sent).toBeLessThan(4000); // 64 MB: far more than loopback buffers hold
      await Promise.all(Array.from({ length: 32 }, () => sender.emitWithAck("message:send", { content })));
      backlog = await scrape(server);
    }
    expect(value(backlog.get("chatterbox_outbound_backlog_bytes"))).toBeGreaterThan(0);

    tcp.resume();
    const deadline = Date.now() + 10_000;
    while (value((await scrape(server)).get("chatterbox_sockets_with_backlog")) !== 0) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(value((await scrape(server)).get("chatterbox_outbound_backlog_bytes"))).toBe(0);
  });
});
