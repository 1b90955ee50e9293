// `presence {username, online}` goes to every socket of this process (SPEC.md "Rooms…"). Sent one by one,
// n users coming online at once (a restart, a reconnect storm) cost n² socket writes, and one change costs
// one write per socket in a single turn of the event loop, while everyone's messages wait behind it.
// So changes are gathered for `windowMs` (a user's last change wins), encoded once, and each socket gets
// all of them in one write: over WebSocket, the frames are pre-encoded back to back, as socket.io's own
// broadcast pre-encodes one. The sockets are served `chunk` at a time, yielding between chunks, so
// messages keep flowing during a big fan-out. Flushes never overlap: one that is still running lets changes
// gather for the next, so a storm is sent in fewer, larger batches.
import { Encoder, PacketType } from "socket.io-parser";
import * as ws from "ws";
import type { PresenceEvent } from "../protocol";
import type { ChatServer, ChatSocket } from "./types";

export interface PresenceFanoutOptions {
  /** how long changes gather before they are sent */
  windowMs?: number;
  /** sockets served per turn of the event loop */
  chunk?: number;
}

/** ws's frame encoder (socket.io-adapter uses it the same way; not in @types/ws) */
type FrameEncoder = (
  data: Buffer,
  options: { readOnly: boolean; mask: boolean; rsv1: boolean; opcode: number; fin: boolean },
) => Buffer[];
const frame = (ws as unknown as { Sender: { frame: FrameEncoder } }).Sender.frame;
const TEXT = 1;

/** The parts of engine.io's connection read here (its websocket transport takes `wsPreEncodedFrame`). */
interface EngineWrite {
  readyState: string;
  transport: { name: string; perMessageDeflate?: unknown; socket?: { _sender?: { sendFrame?: unknown } } };
  write(data: string, options: { wsPreEncodedFrame: Buffer[] }): unknown;
}

/**
 * engine.io's own test before it writes a pre-encoded frame (transports/websocket.js,
 * `_canSendPreEncodedFrame`): when it fails, engine.io would send only the packet's data — the first event
 * of the batch — so the batch goes event by event instead.
 */
const takesPreEncoded = (conn: EngineWrite): boolean =>
  conn.readyState === "open" &&
  conn.transport.name === "websocket" &&
  !conn.transport.perMessageDeflate &&
  typeof conn.transport.socket?._sender?.sendFrame === "function";

interface Batch {
  events: PresenceEvent[];
  /** each event as an engine.io message: what a WebSocket frame carries */
  packets: string[];
  /** all of them as WebSocket frames, back to back */
  frames: Buffer[];
}

function encodeBatch(events: PresenceEvent[]): Batch {
  const encoder = new Encoder();
  // "4": engine.io's message type, which precedes the socket.io packet
  const packets = events.map(
    (e) => `4${String(encoder.encode({ type: PacketType.EVENT, nsp: "/", data: ["presence", e] })[0])}`,
  );
  const opts = { readOnly: false, mask: false, rsv1: false, opcode: TEXT, fin: true };
  const frames = [Buffer.concat(packets.flatMap((p) => frame(Buffer.from(p), opts)))];
  return { events, packets, frames };
}

function sendBatch(socket: ChatSocket, batch: Batch): void {
  if (!socket.connected) return;
  const conn = socket.conn as unknown as EngineWrite;
  if (takesPreEncoded(conn)) {
    // engine.io writes the pre-encoded frames as they are (the data, the first event, is only what it logs;
    // lib/realtime/backpressure.ts counts the frames)
    conn.write(batch.packets[0]!.slice(1), { wsPreEncodedFrame: batch.frames });
  } else {
    for (const e of batch.events) socket.emit("presence", e); // long-polling: engine.io batches these itself
  }
}

export function createPresenceFanout(io: ChatServer, { windowMs = 100, chunk = 64 }: PresenceFanoutOptions = {}) {
  let pending = new Map<string, boolean>();
  let timer: NodeJS.Timeout | undefined;
  let flushing = false;
  let closed = false;

  const arm = () => {
    if (!timer && !flushing && !closed && pending.size > 0) timer = setTimeout(flush, windowMs);
  };

  function flush(): void {
    timer = undefined;
    const events = [...pending].map(([username, online]) => ({ username, online }));
    pending = new Map();
    const batch = encodeBatch(events);
    // the sockets open now: one that connects later reads who is online from GET /api/users
    const sockets = [...io.of("/").sockets.values()];
    flushing = true;
    let i = 0;
    const step = () => {
      const end = Math.min(i + chunk, sockets.length);
      for (; i < end && !closed; i++) sendBatch(sockets[i]!, batch);
      if (i < sockets.length && !closed) {
        setImmediate(step);
        return;
      }
      flushing = false;
      arm();
    };
    step();
  }

  return {
    /** a user's cluster-wide presence changed (lib/services/presence.ts decides when) */
    push({ username, online }: PresenceEvent): void {
      pending.delete(username); // re-inserted last: the batch keeps the order of the latest changes
      pending.set(username, online);
      arm();
    },
    close(): void {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
export type PresenceFanout = ReturnType<typeof createPresenceFanout>;
