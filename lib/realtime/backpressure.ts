// Slow consumers: a socket whose client stops taking what is sent keeps every frame in this process's
// memory. Each watched socket's backlog (what is queued here, not yet handed to the kernel) is checked
//  - on send, against SLOW_CLIENT_MAX_BYTES (/ws: a property read after each send; engine.io: every
//    maxBytes/16 bytes, once the tick's writes have run — see watchEngine),
//  - by a sweep every second: a backlog seen at every sweep for SLOW_CLIENT_MAX_MS is cut off too.
// A single frame bigger than a quarter of the cap (a history or a page the client asked for) raises that
// socket's cap by its size until the backlog is back under the cap, so a big gap fill over a slow link is not
// mistaken for a stall (the time rule still applies). Cutting off destroys the TCP connection (within a few
// turns of the event loop, see cutSome): a close frame queued behind a full buffer would never leave, and the
// memory is freed only when the socket goes.
// The client sees a dropped connection and reconnects with its cursor (see README, Operations).
import type { WebSocket } from "ws";
import type { Logger } from "../logger";
import type { Counters } from "../server/counters";

export type TransportName = "ws" | "socket.io";

export interface BackpressureOptions {
  maxBytes: number;
  maxMs: number;
  logger: Logger;
  counters: Counters;
  /** default 1000 */
  sweepMs?: number;
}

/**
 * One watched socket. Its listeners are shared by every socket (`this` is the socket) and find this object in
 * a WeakMap, so an idle connection holds this object and no closures of its own.
 */
interface WatchedBase {
  userId: number;
  /** when a sweep first saw a backlog (undefined: none at the last sweep) */
  since: number | undefined;
  /** the extra allowance of a big frame, until the backlog is under the cap again */
  grant: number;
  /** bytes sent since the last on-send check (engine.io) */
  unchecked: number;
}
interface WatchedWs extends WatchedBase {
  transport: "ws";
  ws: WebSocket;
}
interface WatchedEngine extends WatchedBase {
  transport: "socket.io";
  conn: EngineConn;
  /** bytes in engine.io's writeBuffer: packets created since the last flush */
  pending: number;
  /** big frames among the packets since the last on-send check */
  burst: number;
  recheck: NodeJS.Immediate | undefined;
}
type Watched = WatchedWs | WatchedEngine;

interface EnginePacket {
  data?: unknown;
  /** frames written as they are in place of `data` (a broadcast's, or a batch of presence changes) */
  options?: { wsPreEncodedFrame?: Buffer[] };
}

/** The parts of engine.io's Socket (node_modules/engine.io/build/socket.js) read here. */
interface EngineConn {
  readyState: string;
  transport: { name: string; socket?: WebSocket; req?: { socket?: { destroy(): void } } | null };
  on(event: "packetCreate", listener: (this: EngineConn, packet: EnginePacket) => void): unknown;
  on(event: "flush" | "close", listener: (this: EngineConn) => void): unknown;
  /** private in engine.io's types: marks the session closed, clears its write buffer, emits `close` */
  onClose?: (reason: string) => void;
}

const CUTS_PER_TURN = 8;

const byteLength = (data: unknown): number =>
  typeof data === "string" ? data.length : data instanceof Uint8Array ? data.byteLength : 0;

/** what a packet puts on the wire: its pre-encoded frames when it has them */
const packetBytes = (packet: EnginePacket): number => {
  const frames = packet.options?.wsPreEncodedFrame;
  return frames ? frames.reduce((sum, f) => sum + f.byteLength, 0) : byteLength(packet.data);
};

/** bytes queued for the socket and not yet taken by the kernel */
function backlogOf(w: Watched): number {
  if (w.transport === "ws") return w.ws.bufferedAmount;
  const transport = w.conn.transport;
  return w.pending + (transport.name === "websocket" ? (transport.socket?.bufferedAmount ?? 0) : 0);
}

function cutConnection(w: Watched): void {
  if (w.transport === "ws") {
    w.ws.close(1013, "slow consumer");
    // the close frame got out only if nothing was ahead of it; otherwise drop the connection now
    if (w.ws.bufferedAmount > 0) w.ws.terminate();
    return;
  }
  const { conn } = w;
  const transport = conn.transport;
  if (transport.name === "websocket") transport.socket?.terminate();
  else transport.req?.socket?.destroy(); // a pending long-poll
  // closes the engine.io session now (its write buffer is dropped) rather than on the transport's close
  if (conn.readyState !== "closed" && typeof conn.onClose === "function") conn.onClose("slow consumer");
}

export function createBackpressure({ maxBytes, maxMs, logger, counters, sweepMs = 1000 }: BackpressureOptions) {
  const watched = new Set<Watched>();
  const ofWs = new WeakMap<WebSocket, WatchedWs>();
  const ofEngine = new WeakMap<EngineConn, WatchedEngine>();
  const bigFrame = maxBytes / 4;
  const checkEvery = Math.max(1, Math.floor(maxBytes / 16));

  // Sockets in one busy room reach the cap together; closing each frees megabytes in the kernel and runs
  // its disconnect handlers, so a mass cut-off is spread over turns of the event loop, a few at a time, and
  // the others' messages go out in between. A socket no longer watched is not checked again meanwhile.
  const toCut: Watched[] = [];
  let cutting: NodeJS.Immediate | undefined;
  const cutSome = () => {
    cutting = undefined;
    for (const w of toCut.splice(0, CUTS_PER_TURN)) cutConnection(w);
    if (toCut.length > 0) cutting = setImmediate(cutSome);
  };

  function cutOff(w: Watched, rule: "bytes" | "time", backlog: number): void {
    if (!watched.delete(w)) return;
    busy.delete(w);
    counters.slowClientsDisconnected++;
    logger.warn({ userId: w.userId, transport: w.transport, backlog, rule }, "slow consumer: socket cut off");
    toCut.push(w);
    cutting ??= setImmediate(cutSome);
  }

  /** after `bytes` were queued on `w` (big frames among them: `bytes` over a quarter of the cap) */
  function check(w: Watched, bytes: number): void {
    if (bytes > bigFrame) w.grant += bytes;
    const backlog = backlogOf(w);
    if (backlog > maxBytes + w.grant) cutOff(w, "bytes", backlog);
    else if (backlog <= maxBytes) w.grant = 0;
  }

  // The sweep looks only at sockets sent something since the last sweep or with a backlog at it: a backlog
  // only grows by sends, and most sockets of a big server are idle (20,000 idle sockets swept each second
  // cost 10 ms of everyone's latency).
  const busy = new Set<Watched>();
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const w of busy) {
      const backlog = backlogOf(w);
      if (backlog > maxBytes + w.grant) cutOff(w, "bytes", backlog);
      else if (backlog === 0) {
        w.since = undefined;
        w.grant = 0;
        busy.delete(w);
      } else if (w.since === undefined) w.since = now;
      else if (now - w.since >= maxMs) cutOff(w, "time", backlog);
    }
  }, sweepMs).unref();
  const forget = (w: Watched) => {
    watched.delete(w);
    busy.delete(w);
  };

  // shared by every socket (see Watched)
  function wsClosed(this: WebSocket): void {
    const w = ofWs.get(this);
    if (w) forget(w);
  }
  function engineClosed(this: EngineConn): void {
    const w = ofEngine.get(this);
    if (w) forget(w);
  }
  function engineFlushed(this: EngineConn): void {
    const w = ofEngine.get(this);
    if (w) w.pending = 0;
  }
  function recheckBurst(w: WatchedEngine): void {
    w.recheck = undefined;
    const big = w.burst;
    w.burst = 0;
    if (watched.has(w)) check(w, big);
  }
  // engine.io holds a tick's packets in its write buffer until the websocket's write callback (the next tick
  // at the earliest), even when the kernel takes everything: a burst is judged once that has run
  function packetCreated(this: EngineConn, packet: EnginePacket): void {
    const w = ofEngine.get(this);
    if (!w) return;
    const bytes = packetBytes(packet);
    if (watched.has(w)) busy.add(w);
    w.pending += bytes;
    w.unchecked += bytes;
    if (bytes > bigFrame) w.burst += bytes;
    if (w.unchecked < checkEvery && bytes <= bigFrame) return;
    w.unchecked = 0;
    w.recheck ??= setImmediate(recheckBurst, w);
  }

  return {
    /** a /ws socket; call `sent` after each send */
    watchWs(ws: WebSocket, userId: number): void {
      const w: WatchedWs = { userId, transport: "ws", ws, since: undefined, grant: 0, unchecked: 0 };
      watched.add(w);
      ofWs.set(ws, w);
      ws.on("close", wsClosed); // emitted once
    },
    /** after `bytes` were sent on a watched /ws socket */
    sent(ws: WebSocket, bytes: number): void {
      const w = ofWs.get(ws);
      if (!w || !watched.has(w)) return; // unknown, or cut off and closing
      busy.add(w);
      check(w, bytes);
    },
    /** a socket.io connection: engine.io's write buffer plus its websocket's */
    watchEngine(conn: EngineConn, userId: number): void {
      // one watch per engine.io connection, though a client may open two socket.io sockets on it
      if (ofEngine.has(conn)) return;
      const w: WatchedEngine = {
        userId,
        transport: "socket.io",
        conn,
        since: undefined,
        grant: 0,
        unchecked: 0,
        pending: 0,
        burst: 0,
        recheck: undefined,
      };
      watched.add(w);
      ofEngine.set(conn, w);
      conn.on("packetCreate", packetCreated);
      conn.on("flush", engineFlushed);
      conn.on("close", engineClosed);
    },
    /** what is queued in this process for the watched sockets now (read at scrape time: one pass) */
    backlog(): { sockets: number; bytes: number } {
      let sockets = 0;
      let bytes = 0;
      for (const w of busy) {
        const b = backlogOf(w);
        if (b > 0) sockets++;
        bytes += b;
      }
      return { sockets, bytes };
    },
    /** sockets watched now */
    get size(): number {
      return watched.size;
    },
    close(): void {
      clearInterval(sweep);
      clearImmediate(cutting);
      for (const w of toCut.splice(0)) cutConnection(w);
      watched.clear();
      busy.clear();
    },
  };
}
export type Backpressure = ReturnType<typeof createBackpressure>;
