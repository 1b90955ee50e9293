// One socket.io connection to a Chatterbox server, independent of how it is displayed.
// - Messages are merged by id: each is handed to `handlers.messages` once, in id order per batch. Live
//   messages that arrive before a connection's `history` are held back and merged into it.
// - Reconnects send `lastMessageId` (the auth callback runs on every handshake), so `history` carries only
//   what was missed; a truncated gap fill is paged over REST before live messages resume.
// - `send` queues messages and delivers them one at a time, in order: each gets a clientId once and is
//   re-sent with that same clientId until the server acks it (the server stores it once). A message goes to
//   general, to a room (`{ room }`) or to a user as a direct message (`{ to }`).
// - Rooms: the socket carries every room the user is in (`message:new` of all of them; a reconnect's
//   history fills the gap in all of them). Room requests (create, join, leave, invite, read) are acked
//   calls that fail fast when not connected; room, read-marker, typing and presence events go to the
//   optional handlers.
import { randomUUID } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import {
  LIMITS,
  SOCKET_PATH,
  type ClientToServerEvents,
  type ErrorCode,
  type Message,
  type RoomSummary,
  type SendMessageInput,
  type ServerToClientEvents,
  type SocketAuth,
  type WireError,
} from "../lib/protocol";
import { HTTP_STATUS } from "../lib/errors";
import { ApiError, listRooms, messagesAfter, messagesPage } from "./api";
import { isMessage, isRecord, isRoomSummary, isWireError, messagesOf } from "./wire";

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type TimedSocket = ReturnType<ChatSocket["timeout"]>;
export type ConnectionState = "connecting" | "connected" | "reconnecting" | "disconnected";

/** Where a message goes: a room (by name, default general) or a user (a direct message). */
export type SendTarget = { readonly room: string } | { readonly to: string };

export interface PendingSend {
  readonly content: string;
  readonly clientId: string;
  readonly target?: SendTarget;
}

export interface ReadMarker {
  room: string;
  lastReadId: number;
  unread: number;
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
  /** This user was added to a room (created, joined, invited, a first direct message), from any device. */
  roomJoined?(room: RoomSummary): void;
  /** This user left a room (from any device). */
  roomLeft?(room: string): void;
  /** This user's read marker in a room moved (from any device). */
  roomRead?(marker: ReadMarker): void;
  /** Someone else is typing in one of this user's rooms. */
  typing?(event: { room: string; username: string }): void;
  presence?(event: { username: string; online: boolean }): void;
  /** Someone else joined or left one of this user's rooms. */
  member?(event: { room: string; username: string; joined: boolean }): void;
}

export interface ChatSessionOptions {
  serverUrl: string;
  token: string;
  handlers: ChatSessionHandlers;
  /** how long to wait for a `message:send` ack before retrying */
  ackTimeoutMs?: number;
  /** how long `settle` waits for the broadcast of an acked message before showing it from the ack */
  echoGraceMs?: number;
  /**
   * Runs after each connection's history has been handed to `messages` and before `ready`; the messages it
   * resolves with are merged in like history (e.g. a room's latest messages; they count toward
   * `lastMessageId`). A rejection is reported as a notice.
   */
  beforeReady?: (info: { reconnect: boolean }) => Promise<Message[]>;
}

/** The server refused a message for a reason a retry cannot fix (e.g. invalid input). */
export class SendRejectedError extends Error {
  override name = "SendRejectedError";
  constructor(readonly error: WireError) {
    super(error.detail);
  }
}

/** A room request (create, join, leave, invite, read) was refused, or could not be made. */
export class RequestError extends Error {
  override name = "RequestError";
  constructor(
    detail: string,
    readonly code?: ErrorCode,
  ) {
    super(detail);
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

  /** Queue a message (to general unless `target` says otherwise); resolves with the stored Message once acked. */
  send(content: string, target?: SendTarget): Promise<Message> {
    if (this.closedReason) return Promise.reject(this.closedReason);
    const item: PendingSend = target
      ? { content, clientId: randomUUID(), target }
      : { content, clientId: randomUUID() };
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

  /**
   * Count messages shown some other way (e.g. a room's history fetched over REST) as seen, so they are not
   * handed to `messages` again when they also arrive on the socket. `lastMessageId` does not move: only
   * the socket's own stream advances it, so a reconnect never skips a message that is still on its way.
   */
  markSeen(messages: readonly Message[]): void {
    for (const message of messages) {
      this.seen.add(message.id);
      this.awaitingEcho.delete(message.id);
    }
    this.forgetOldIds();
  }

  // ---- rooms ------------------------------------------------------------------------------------------

  /** Create a room (the creator is its first member). */
  async createRoom(name: string, isPrivate = false): Promise<RoomSummary> {
    const ack = await this.call((s) => s.emitWithAck("room:create", isPrivate ? { name, private: true } : { name }));
    if (!isRoomSummary(ack.room)) throw new RequestError("malformed answer from the server");
    return ack.room;
  }

  /** Join a public room (or re-enter one the user is in); resolves with it and its latest messages. */
  async joinRoom(room: string): Promise<{ room: RoomSummary; messages: Message[] }> {
    const ack = await this.call((s) => s.emitWithAck("room:join", { room }));
    if (!isRoomSummary(ack.room)) throw new RequestError("malformed answer from the server");
    return { room: ack.room, messages: messagesOf(ack) };
  }

  async leaveRoom(room: string): Promise<void> {
    await this.call((s) => s.emitWithAck("room:leave", { room }));
  }

  async invite(room: string, username: string): Promise<void> {
    await this.call((s) => s.emitWithAck("room:invite", { room, username }));
  }

  /** Move the read marker; resolves with the unread count left. */
  async markRead(room: string, lastReadId: number): Promise<number> {
    const ack = await this.call((s) => s.emitWithAck("room:read", { room, lastReadId }));
    return typeof ack.unread === "number" ? ack.unread : 0;
  }

  /**
   * A page of a room: the latest `limit` messages, or the `limit` before `before`. Over the socket while it is
   * up (`messages:page`: no HTTP request), else over REST. A refusal is thrown as the ApiError REST would have
   * given, so callers handle both alike.
   */
  async page(room: string, page: { limit: number; before?: number }): Promise<Message[]> {
    if (this.socket.connected) {
      try {
        return messagesOf(await this.call((s) => s.emitWithAck("messages:page", { room, ...page })));
      } catch (err) {
        if (err instanceof RequestError && err.code) throw new ApiError(HTTP_STATUS[err.code], err.message);
        if (err instanceof SessionClosedError) throw err;
        // no answer in time, or the connection dropped: ask REST
      }
    }
    return messagesPage(this.options.serverUrl, this.options.token, room, page);
  }

  /** Tell the room's other members this user is typing (dropped when not connected). */
  typing(room: string): void {
    if (this.socket.connected) this.socket.volatile.emit("typing", { room });
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
    socket.on("room:joined", (room) => {
      if (isRoomSummary(room)) this.handlers.roomJoined?.(room);
    });
    socket.on("room:left", (payload) => {
      if (isRecord(payload) && typeof payload.room === "string") this.handlers.roomLeft?.(payload.room);
    });
    socket.on("room:read", (payload) => {
      if (
        isRecord(payload) &&
        typeof payload.room === "string" &&
        typeof payload.lastReadId === "number" &&
        typeof payload.unread === "number"
      ) {
        this.handlers.roomRead?.({ room: payload.room, lastReadId: payload.lastReadId, unread: payload.unread });
      }
    });
    socket.on("typing", (payload) => {
      if (isRecord(payload) && typeof payload.room === "string" && typeof payload.username === "string") {
        this.handlers.typing?.({ room: payload.room, username: payload.username });
      }
    });
    socket.on("room:member", (payload) => {
      if (
        isRecord(payload) &&
        typeof payload.room === "string" &&
        typeof payload.username === "string" &&
        typeof payload.joined === "boolean"
      ) {
        this.handlers.member?.({ room: payload.room, username: payload.username, joined: payload.joined });
      }
    });
    socket.on("presence", (payload) => {
      if (isRecord(payload) && typeof payload.username === "string" && typeof payload.online === "boolean") {
        this.handlers.presence?.({ username: payload.username, online: payload.online });
      }
    });
  }

  /** An acked room request: the ack's fields on success, a RequestError otherwise. */
  private async call(emit: (socket: TimedSocket) => Promise<unknown>): Promise<Record<string, unknown>> {
    if (this.closedReason) throw this.closedReason;
    if (!this.socket.connected) throw new RequestError("not connected to the server; try again in a moment");
    let ack: unknown;
    try {
      ack = await emit(this.socket.timeout(this.ackTimeoutMs));
    } catch (err) {
      // (re-read: the session may have been closed while waiting)
      const closed = this.closedReason as SessionClosedError | undefined;
      if (closed) throw closed;
      throw new RequestError(
        err instanceof Error && /timed out/i.test(err.message) ? "no answer from the server" : "connection lost",
      );
    }
    if (isRecord(ack) && ack.ok === true) return ack;
    if (isRecord(ack) && isWireError(ack.error)) throw new RequestError(ack.error.detail, ack.error.code);
    throw new RequestError("malformed answer from the server");
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
    const failed = (what: string) => (err: unknown) => {
      if (generation !== this.generation) return;
      this.handlers.notice(`${what}: ${err instanceof Error ? err.message : String(err)}`);
    };
    const prepare = async () => {
      if (truncated) await this.catchUp(generation).catch(failed("could not load older messages"));
      const hook = this.options.beforeReady;
      if (!hook || generation !== this.generation) return;
      const extra = await hook({ reconnect }).catch((err: unknown) => {
        failed("could not load the room")(err);
        return [];
      });
      if (generation === this.generation) this.deliver(extra);
    };
    if (!truncated && !this.options.beforeReady) return finish();
    void prepare().then(finish);
  }

  /**
   * Page the rest of a truncated gap fill over REST. The history held every message up to its last id in
   * every room, so each of the user's rooms is paged after that id; everything is delivered in id order.
   */
  private async catchUp(generation: number): Promise<void> {
    const from = this.lastId;
    if (from === undefined) return;
    const { serverUrl, token } = this.options;
    const rooms = await listRooms(serverUrl, token);
    const missed: Message[] = [];
    for (const room of rooms) {
      for (let after = from; ;) {
        if (generation !== this.generation) return;
        const page = await messagesAfter(serverUrl, token, after, LIMITS.pageMax, room.name);
        missed.push(...page);
        const last = page.at(-1);
        if (page.length < LIMITS.pageMax || !last) break;
        after = last.id;
      }
    }
    if (generation === this.generation) this.deliver(missed);
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
    const payload: SendMessageInput = { content: item.content, clientId: item.clientId, ...item.target };
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
