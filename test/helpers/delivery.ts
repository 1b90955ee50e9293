// Helpers for the delivery-guarantee suite (test/delivery): connected sockets with their history, a
// per-socket log of everything received, fire-and-forget sends with ack tracking, and polling.
import { randomUUID } from "node:crypto";
import type { HistoryPayload, Message } from "@/lib/protocol";
import { connectSocket } from "./remote";
import { send, type SendAck } from "./socket-utils";
import type { TestSocket } from "./test-server";

/** Everything one socket received, in arrival order. */
export interface ReceiveLog {
  socket: TestSocket;
  histories: HistoryPayload[];
  live: Message[];
  /** history messages and live messages interleaved in arrival order (duplicates kept) */
  wire: Message[];
}

/** Starts recording `history` and `message:new` on a socket (call before it connects). */
export function logReceived(socket: TestSocket): ReceiveLog {
  const log: ReceiveLog = { socket, histories: [], live: [], wire: [] };
  socket.on("history", (h) => {
    log.histories.push(h);
    log.wire.push(...h.messages);
  });
  socket.on("message:new", (m) => {
    log.live.push(m);
    log.wire.push(m);
  });
  return log;
}

/** Polls `condition` every `everyMs` until it holds; rejects with `what()` after `ms`. */
export async function until(condition: () => boolean, ms: number, what: () => string, everyMs = 10): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms: ${what()}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Opens a socket to `url` and resolves once it is connected and has received its first history.
 * Rejects on connect_error or after `ms`.
 */
export function openLogged(
  url: string,
  auth: { token: string; lastMessageId?: number },
  ms = 10_000,
): Promise<ReceiveLog> {
  const socket = connectSocket(url, auth, { autoConnect: false });
  const log = logReceived(socket);
  return new Promise<ReceiveLog>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.disconnect();
      reject(new Error(`no history within ${ms} ms (connected: ${socket.connected})`));
    }, ms);
    socket.once("history", () => {
      clearTimeout(timer);
      resolve(log);
    });
    socket.once("connect_error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.connect();
  });
}

/** A message to send with its clientId, and what happened to it. */
export interface Tracked {
  clientId: string;
  content: string;
  /** the stored message, once acked */
  acked?: Message;
  /** why the send was not acked (timeout, disconnect, error ack) */
  failed?: string;
}

/**
 * Emits message:send with a clientId without waiting; the returned promise settles when the ack (or the
 * failure) is recorded on `item` and never rejects.
 */
export function fire(socket: TestSocket, item: Tracked, ackTimeoutMs = 10_000): Promise<Tracked> {
  return send(socket, { content: item.content, clientId: item.clientId }, ackTimeoutMs).then(
    (ack: SendAck) => {
      if (ack.ok) {
        item.acked = ack.message;
        delete item.failed;
      } else item.failed = `${ack.error.code}: ${ack.error.detail}`;
      return item;
    },
    (err: unknown) => {
      item.failed = err instanceof Error ? err.message : String(err);
      return item;
    },
  );
}

export const tracked = (content: string): Tracked => ({ clientId: randomUUID(), content });

/** Ids of a list of messages. */
export const idsOf = (messages: readonly Message[]): number[] => messages.map((m) => m.id);

/** The given ids are strictly increasing. */
export const strictlyIncreasing = (ids: readonly number[]): boolean =>
  ids.every((id, i) => i === 0 || id > ids[i - 1]!);

/** Ids that occur more than once. */
export function duplicateIds(ids: readonly number[]): number[] {
  const seen = new Set<number>();
  const dups = new Set<number>();
  for (const id of ids) (seen.has(id) ? dups : seen).add(id);
  return [...dups];
}
