import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { coalesceFlushes } from "../../lib/realtime/coalesced-writes";

/** a TCP socket's cork depth, as net.Socket keeps it (uncork below zero stays at zero) */
function fakeTcp() {
  const tcp = {
    corked: 0,
    uncorks: 0,
    cork: () => void tcp.corked++,
    uncork: () => {
      tcp.uncorks++;
      if (tcp.corked > 0) tcp.corked--;
    },
  };
  return tcp;
}

function setup(transportName = "websocket") {
  const engine = new EventEmitter();
  const tcp = fakeTcp();
  const conn = { transport: { name: transportName, socket: { _socket: tcp } } };
  coalesceFlushes(engine as unknown as Parameters<typeof coalesceFlushes>[0]); // only its events are used
  const flush = (packets: number) => {
    engine.emit(
      "flush",
      conn,
      Array.from({ length: packets }, () => ({ type: "message" })),
    );
    const depth = tcp.corked; // what the transport's writes would see
    engine.emit("drain", conn);
    return depth;
  };
  return { engine, tcp, conn, flush };
}

const nextTick = () => new Promise<void>((resolve) => process.nextTick(resolve));

describe("coalesceFlushes", () => {
  it("corks the TCP socket while several packets are written, and uncorks right after", () => {
    const { tcp, flush } = setup();
    expect(flush(3)).toBe(1);
    expect(tcp.corked).toBe(0);
  });

  it("leaves a lone packet alone: it is written at once, as before", async () => {
    const { tcp, flush } = setup();
    expect(flush(1)).toBe(0);
    await nextTick();
    expect(tcp.uncorks).toBe(0);
  });

  it("uncorks at the end of the turn when the flush never drained (the transport threw)", async () => {
    const { engine, tcp, conn } = setup();
    engine.emit("flush", conn, [{}, {}]);
    expect(tcp.corked).toBe(1);
    await nextTick();
    expect(tcp.corked).toBe(0);
  });

  it("does not cork long-polling, which has no socket of its own", () => {
    const { tcp, flush } = setup("polling");
    expect(flush(5)).toBe(0);
    expect(tcp.uncorks).toBe(0);
  });

  it("uncorks each flush once, however many flushes a turn has", async () => {
    const { tcp, flush } = setup();
    flush(2);
    flush(4);
    await nextTick();
    expect(tcp.corked).toBe(0);
    expect(tcp.uncorks).toBe(2);
  });
});
