// Small promise helpers around socket.io test clients: connection outcomes, acks, and "nothing arrives" checks.
import type { Ack, Message, SendMessageInput, ServerToClientEvents } from "@/lib/protocol";
import type { TestSocket } from "./test-server";

/** The next connection outcome: connected, or the connect_error's message (rejects after `ms`). */
export function connectResult(socket: TestSocket, ms = 5000): Promise<{ connected: true } | { error: string }> {
  if (socket.connected) return Promise.resolve({ connected: true });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      // where the handshake stood, for a failure that cannot be reproduced at will
      const engine = socket.io.engine as { readyState?: string; transport?: { name?: string } } | undefined;
      const state = `engine ${engine?.readyState ?? "none"}, transport ${engine?.transport?.name ?? "none"}`;
      reject(new Error(`neither connect nor connect_error within ${ms} ms (${state})`));
    }, ms);
    const onConnect = () => {
      cleanup();
      resolve({ connected: true });
    };
    const onError = (err: Error) => {
      cleanup();
      resolve({ error: err.message });
    };
    const cleanup = () => {
      clearTimeout(timer);
      socket.off("connect", onConnect);
      socket.off("connect_error", onError);
    };
    socket.on("connect", onConnect);
    socket.on("connect_error", onError);
  });
}

/** Resolves once the socket is connected; rejects with the connect_error message. */
export async function waitConnected(socket: TestSocket, ms = 5000): Promise<void> {
  const result = await connectResult(socket, ms);
  if ("error" in result) throw new Error(result.error);
}

/** Resolves with the connect_error's message; rejects if the socket connects instead. */
export async function waitConnectError(socket: TestSocket, ms = 5000): Promise<string> {
  const result = await connectResult(socket, ms);
  if ("connected" in result) throw new Error("connected although it should have been refused");
  return result.error;
}

/** Resolves with the disconnect reason (rejects after `ms`). */
export function waitDisconnect(socket: TestSocket, ms = 5000): Promise<string> {
  if (socket.disconnected && !socket.active) return Promise.resolve("already disconnected");
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no disconnect within ${ms} ms`)), ms);
    socket.once("disconnect", (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

export type SendAck = Ack<{ message: Message }>;

/** message:send with an acknowledgement (rejects if the ack does not come within `ms`). */
export function send(socket: TestSocket, payload: SendMessageInput, ms = 5000): Promise<SendAck> {
  return socket.timeout(ms).emitWithAck("message:send", payload);
}

/** message:send with a payload the types forbid: for invalid-input tests. */
export function sendRaw(socket: TestSocket, payload: unknown, ms = 5000): Promise<SendAck> {
  return send(socket, payload as SendMessageInput, ms);
}

/** The stored message of a successful ack; throws (failing the test) on an error ack. */
export function ackedMessage(ack: SendAck): Message {
  if (!ack.ok) throw new Error(`expected ok ack, got ${JSON.stringify(ack.error)}`);
  return ack.message;
}

/** Records every payload of `event` from now on. */
export function record<E extends keyof ServerToClientEvents>(
  socket: TestSocket,
  event: E,
): Parameters<ServerToClientEvents[E]>[0][] {
  const got: Parameters<ServerToClientEvents[E]>[0][] = [];
  (socket as unknown as { on(e: string, l: (p: unknown) => void): void }).on(event, (p) => {
    got.push(p as Parameters<ServerToClientEvents[E]>[0]);
  });
  return got;
}

/** Polls `condition` until it holds (rejects after `ms`). */
export async function waitUntil(condition: () => boolean, ms = 5000, what = "condition"): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A bounded pause, only for "nothing else arrives" checks. */
export const quietPeriod = (ms = 300): Promise<void> => new Promise((r) => setTimeout(r, ms));
