// One socket.io connection to a Chatterbox server, independent of how it is displayed.
// - Messages are merged by id: each is handed to `handlers.messages` once, in id order per batch. Live
//   messages that arrive before a connection's `history` are held back and merged into it.
// - Reconnects send `lastMessageId` (the auth callback runs on every handshake), so `history` carries only
//   what was missed; a truncated gap fill is paged over REST before live messages resume.
// - `send` queues messages and delivers them one at a time, in order: each gets a clientId once and is
//   re-sent with that same clientId until the server acks it (the server stores it once).
import { randomUUID } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import {
  LIMITS,
  SOCKET_PATH,
  type ClientToServerEvents,
  type ErrorCode,
  type Message,
  type SendMessageInput,
  type ServerToClientEvents,
  type SocketAuth,
  type WireError,
} from "../lib/protocol";
import { messagesAfter } from "./api";
import { isMessage, isRecord, isWireError, messagesOf } from "./wire";

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ConnectionState = "connecting" | "connected" | "reconnecting" | "disconnected";

export interface PendingSend {
  readonly content: string;
  readonly clientId: string;
}

export interface ChatSessionHandlers {
  /** Messages not shown before, ascending by id. */
  messages(messages: Message[]): void;
  /** A connection's history (and any REST catch-up) has been handed to `messages`. */
  ready(info: { reconnect: boolean }): void;
  state(state: ConnectionState, detail?: string): void;
  /** A server `error` event or another non-fatal problem (raw text: sanitize before printing). */
  notice(detail: string): void;
  /** A send attempt failed; it will be retried with the same clientId. */
  sendRetry(item: PendingSend, reason: string): void;
  /** The handshake was refused with `unauthorized`: the token no longer works. The session is closed. */
  unauthorized(): void;
}

export interface ChatSessionOptions {
  serverUrl: string;
  token: string;
  handlers: ChatSessionHandlers;
  /** how long to wait for a `message:send` ack before retrying */
  ackTimeoutMs?: number;
  /** how long `settle` waits for the broadcast of an acked message before showing it from the ack */
  echoGraceMs?: number;
}

/** The server refused a message for a reason a retry cannot fix (e.g. invalid input). */
export class SendRejectedError extends Error {
  override name = "SendRejectedError";
  constructor(readonly error: WireError) {
    super(error.detail);
  }
}

/** The session was closed before the message was acked. */
export class SessionClosedError extends Error {
  override name = "SessionClosedError";
  constructor(readonly reason: "closed" | "unauthorized" = "closed") {
    super(reason === "unauthorized" ? "not logged in" : "the chat session was closed");
  }
}

/** Refusals worth retrying with the same clientId; anything else is final. */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["rate_limited", "internal"]);
const SEEN_IDS_KEPT = 20_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const backoffMs = (attempt: number) => Math.min(250 * 2 ** attempt, 5_000);

interface QueueEntry {
  item: PendingSend;
  resolve: (message: Message) => void;
  reject: (err: Error) => void;
}

export class ChatSession {
  readonly socket: ChatSocket;
  private readonly handlers: ChatSessionHandlers;
  private readonly ackTimeoutMs: number;
  private readonly echoGraceMs: number;
  private readonly seen = new Set<number>();
  private lastId: number | undefined;
  /** live messages held back until the current connection's history is in; null once it is */
  private heldBack: Message[] | null = null;
  /** bumped on every connect and disconnect: stale catch-ups stop delivering */
  private generation = 0;
  private readyCount = 0;
  private state: ConnectionState | undefined;
  private readonly queue: QueueEntry[] = [];
  private draining = false;
  /** acked messages whose broadcast has not been seen yet */
  private readonly awaitingEcho = new Map<number, Message>();
  private connectWaiters: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];
  private readyWaiters: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];
  private idleWaiters: Array<() => void> = [];
  private closedReason: SessionClosedError | undefined;

  constructor(private readonly options: ChatSessionOptions) {
    this.handlers = options.handlers;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 5_000;
    this.echoGraceMs = options.echoGraceMs ?? 2_000;
    const url = new URL(options.serverUrl);
    this.socket = io(url.origin, {
      path: `${url.pathname.replace(/\/+$/, "")}${SOCKET_PATH}`,
      transports: ["websocket"],
      autoConnect: false,
      reconnectionDelayMax: 5_000,
      auth: (cb) => cb(this.handshakeAuth()),
    });
    this.listen();
  }

  /** The id of the newest message seen, sent as `lastMessageId` on reconnect. */
  get lastMessageId(): number | undefined {
    return this.lastId;
  }

  /** Whether the socket is connected right now (sends made while not connected wait for it). */
  get connected(): boolean {
    return this.socket.connected;
  }

  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  /** Messages queued or in flight, not yet acked. */
  get pendingCount(): number {
    return this.queue.length;
  }

  start(): void {
    this.setState("connecting");
    this.socket.connect();
  }

  /** Resolves once the first history has been shown; rejects if the session closes first. */
  whenReady(): Promise<void> {
    if (this.readyCount > 0) return Promise.resolve();
    if (this.closedReason) return Promise.reject(this.closedReason);
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  /** Queue a message; resolves with the stored Message once acked. */
  send(content: string): Promise<Message> {
    if (this.closedReason) return Promise.reject(this.closedReason);
    const item: PendingSend = { content, clientId: randomUUID() };
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      void this.drain();
    });
  }

  /**
   * Resolves when every queued message has been acked (or refused) and every acked message has been
   * handed to `messages` (from its broadcast, or from the ack after `echoGraceMs`).
   */
  async settle(): Promise<void> {
    if (this.queue.length > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    const deadline = Date.now() + this.echoGraceMs;
    while (this.awaitingEcho.size > 0 && Date.now() < deadline && !this.closed) await sleep(25);
    if (this.awaitingEcho.size > 0) this.deliver([...this.awaitingEcho.values()]);
  }

  close(reason: SessionClosedError = new SessionClosedError()): void {
    if (this.closedReason) return;
    this.closedReason = reason;
    this.generation++;
    this.socket.disconnect();
    for (const entry of this.queue.splice(0)) entry.reject(reason);
    for (const waiter of this.connectWaiters.splice(0)) waiter.reject(reason);
    for (const waiter of this.readyWaiters.splice(0)) waiter.reject(reason);
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  // ---- connection -------------------------------------------------------------------------------------

  private handshakeAuth(): SocketAuth {
    return this.lastId === undefined
      ? { token: this.options.token }
      : { token: this.options.token, lastMessageId: this.lastId };
  }

  private setState(state: ConnectionState, detail?: string): void {
    if (this.state === state) return;
    this.state = state;
    this.handlers.state(state, detail);
  }

  private listen(): void {
    const socket = this.socket;
    socket.on("connect", () => {
      this.generation++;
      this.heldBack = [];
      this.setState("connected");
      for (const waiter of this.connectWaiters.splice(0)) waiter.resolve();
    });
    socket.on("disconnect", (reason) => {
      this.generation++;
      this.heldBack = null; // whatever was held back comes again in the next history
      if (this.closed) return;
      if (reason === "io server disconnect") {
        // the server hung up on us (e.g. the session was revoked): try once more; a revoked token is
        // refused with `unauthorized`, anything else resumes normally
        this.setState("reconnecting", "the server closed the connection");
        setTimeout(() => {
          if (!this.closed && !socket.connected) socket.connect();
        }, 500);
        return;
      }
      this.setState(socket.active ? "reconnecting" : "disconnected", reason);
    });
    socket.on("connect_error", (err) => {
      if (this.closed) return;
      if (err.message === "unauthorized") {
        this.close(new SessionClosedError("unauthorized"));
        this.setState("disconnected", "unauthorized");
        this.handlers.unauthorized();
        return;
      }
      this.setState(socket.active ? "reconnecting" : "disconnected", err.message);
    });
    socket.on("history", (payload) => this.onHistory(payload));
    socket.on("message:new", (message) => {
      if (!isMessage(message)) return;
      if (this.heldBack) this.heldBack.push(message);
      else this.deliver([message]);
    });
    socket.on("error", (payload) => {
      this.handlers.notice(isRecord(payload) && typeof payload.detail === "string" ? payload.detail : "server error");
    });
  }

  private onHistory(payload: unknown): void {
    const generation = this.generation;
    const reconnect = this.readyCount > 0;
    const held = this.heldBack ?? [];
    this.heldBack = [];
    this.deliver(messagesOf(payload));
    const truncated = isRecord(payload) && payload.truncated === true;
    const finish = () => {
      if (generation !== this.generation) return;
      const live = this.heldBack ?? [];
      this.heldBack = null;
      this.deliver([...held, ...live]);
      this.readyCount++;
      this.handlers.ready({ reconnect });
      for (const waiter of this.readyWaiters.splice(0)) waiter.resolve();
    };
    if (!truncated) return finish();
    this.catchUp(generation).then(finish, (err: unknown) => {
      this.handlers.notice(`could not load older messages: ${err instanceof Error ? err.message : String(err)}`);
      finish();
    });
  }

  /** Page the rest of a truncated gap fill over REST, delivering as it goes. */
  private async catchUp(generation: number): Promise<void> {
    for (;;) {
      if (generation !== this.generation || this.lastId === undefined) return;
      const page = await messagesAfter(this.options.serverUrl, this.options.token, this.lastId, LIMITS.pageMax);
      if (generation !== this.generation) return;
      this.deliver(page);
      if (page.length < LIMITS.pageMax) return;
    }
  }

  private deliver(batch: Message[]): void {
    const fresh: Message[] = [];
    for (const message of [...batch].sort((a, b) => a.id - b.id)) {
      this.awaitingEcho.delete(message.id);
      if (this.seen.has(message.id)) continue;
      this.seen.add(message.id);
      fresh.push(message);
      if (this.lastId === undefined || message.id > this.lastId) this.lastId = message.id;
    }
    this.forgetOldIds();
    if (fresh.length > 0) this.handlers.messages(fresh);
  }

  private forgetOldIds(): void {
    let excess = this.seen.size - SEEN_IDS_KEPT;
    for (const id of this.seen) {
      if (excess-- <= 0) break;
      this.seen.delete(id);
    }
  }

  // ---- sending ----------------------------------------------------------------------------------------

  private waitForConnection(): Promise<void> {
    if (this.closedReason) return Promise.reject(this.closedReason);
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => this.connectWaiters.push({ resolve, reject }));
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let entry = this.queue[0]; entry && !this.closed; entry = this.queue[0]) {
        try {
          entry.resolve(await this.deliverOne(entry.item));
        } catch (err) {
          entry.reject(err instanceof Error ? err : new Error(String(err)));
        }
        if (this.queue[0] === entry) this.queue.shift();
      }
    } finally {
      this.draining = false;
      if (this.queue.length === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async deliverOne(item: PendingSend): Promise<Message> {
    const payload: SendMessageInput = { content: item.content, clientId: item.clientId };
    for (let attempt = 0; ; attempt++) {
      await this.waitForConnection();
      let ack: unknown;
      try {
        ack = await this.socket.timeout(this.ackTimeoutMs).emitWithAck("message:send", payload);
      } catch (err) {
        if (this.closedReason) throw this.closedReason;
        const reason =
          err instanceof Error && /timed out/i.test(err.message) ? "no answer from the server" : "connection lost";
        this.handlers.sendRetry(item, reason);
        await sleep(backoffMs(attempt));
        continue;
      }
      if (this.closedReason) throw this.closedReason;
      if (isRecord(ack) && ack.ok === true && isMessage(ack.message)) {
        if (!this.seen.has(ack.message.id)) this.awaitingEcho.set(ack.message.id, ack.message);
        return ack.message;
      }
      const error: WireError =
        isRecord(ack) && isWireError(ack.error)
          ? ack.error
          : { code: "internal", detail: "malformed answer from the server" };
      if (!RETRYABLE.has(error.code)) throw new SendRejectedError(error);
      this.handlers.sendRetry(item, error.detail);
      await sleep(Math.max(1_000, backoffMs(attempt)));
    }
  }
}
