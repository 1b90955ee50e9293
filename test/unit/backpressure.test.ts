// The slow-consumer watch (lib/realtime/backpressure.ts) on a stand-in engine.io connection: what it counts
// and when it lets go. The integration suite (test/security/slow-consumers) drives it through real sockets.
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { createLogger } from "@/lib/logger";
import { createBackpressure } from "@/lib/realtime/backpressure";
import { createCounters } from "@/lib/server/counters";

class FakeConn extends EventEmitter {
  readyState = "open";
  transport = { name: "websocket", socket: undefined };
}

function setup() {
  const counters = createCounters();
  const bp = createBackpressure({ maxBytes: 1_000_000, maxMs: 10_000, logger: createLogger("silent"), counters });
  return { bp, counters };
}

describe("the slow-consumer watch of a socket.io connection", () => {
  it("counts a packet's bytes until engine.io flushes, and forgets the connection when it closes", () => {
    const { bp } = setup();
    const conn = new FakeConn();
    bp.watchEngine(conn, 1);
    expect(bp.size).toBe(1);
    conn.emit("packetCreate", { data: "x".repeat(100) });
    expect(bp.backlog()).toEqual({ sockets: 1, bytes: 100 });
    conn.emit("flush");
    expect(bp.backlog()).toEqual({ sockets: 0, bytes: 0 });
    conn.emit("close");
    expect(bp.size).toBe(0);
    bp.close();
  });

  it("watches a connection once when a client opens two sockets on it, and lets go of it on close", () => {
    const { bp } = setup();
    const conn = new FakeConn();
    bp.watchEngine(conn, 1);
    bp.watchEngine(conn, 1);
    expect(bp.size).toBe(1);
    conn.emit("packetCreate", { data: "x".repeat(100) });
    expect(bp.backlog().bytes).toBe(100); // not counted twice
    conn.emit("close");
    expect(bp.size).toBe(0);
    bp.close();
  });
});
