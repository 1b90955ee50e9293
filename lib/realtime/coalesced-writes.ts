// One system call for the packets a socket.io connection has queued, not one per packet. engine.io writes a
// connection's buffer packet by packet, each a WebSocket frame and a `writev` of its own, and a packet queued
// while the previous write is under way waits for the next flush. Under load those queues grow (a group
// commit delivers several messages to the same sockets at once), and a write per frame is then most of the
// server's time: the bench's fanout at its limit spent 37 % of the core in `writev`. Corking the TCP socket
// for the duration of a flush of several packets hands them to the kernel in one `writev`; a lone packet is
// written at once as before, so nothing waits that did not wait already.
import type { Socket as TcpSocket } from "node:net";
import type { ChatServer, ChatSocket } from "./types";

type EngineServer = ChatServer["engine"];
type EngineSocket = ChatSocket["conn"];
type Corkable = Pick<TcpSocket, "cork" | "uncork">;

/** The parts of engine.io's connection read here: its transport, and under WebSocket `ws`' TCP socket. */
interface EngineTransport {
  name?: string;
  socket?: { _socket?: Partial<Corkable> };
}

/** The TCP socket under a WebSocket connection; none for long-polling (or if `ws` stops keeping it there). */
function tcpOf(conn: EngineSocket): Corkable | undefined {
  const transport = conn.transport as EngineTransport;
  const tcp = transport.name === "websocket" ? transport.socket?._socket : undefined;
  return typeof tcp?.cork === "function" && typeof tcp.uncork === "function" ? (tcp as Corkable) : undefined;
}

/**
 * Corks a WebSocket connection's TCP socket while engine.io flushes more than one packet to it. engine.io's
 * Server emits `flush` just before it hands a connection's buffer to the transport and `drain` just after,
 * in the same turn (long-standing events, though not in its type definitions: the tests would catch their
 * loss). The uncork is also queued for the end of the turn, so a flush that threw leaves no socket corked.
 */
export function coalesceFlushes(engine: EngineServer): void {
  const corked = new WeakMap<EngineSocket, Corkable>();
  const uncork = (conn: EngineSocket) => {
    const tcp = corked.get(conn);
    if (!tcp) return;
    corked.delete(conn);
    tcp.uncork();
  };
  const onFlush = (conn: EngineSocket, buffer: readonly unknown[]) => {
    if (buffer.length < 2 || corked.has(conn)) return;
    const tcp = tcpOf(conn);
    if (!tcp) return;
    tcp.cork();
    corked.set(conn, tcp);
    process.nextTick(uncork, conn);
  };
  engine.on("flush", onFlush);
  engine.on("drain", uncork);
}
