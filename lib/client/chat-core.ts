// The client core: one socket.io connection to a Chatterbox server, the same for the web UI and the
// terminal client (each passes its own socket and HTTP functions and turns the handlers into its own view).
// - Messages are merged by id: each is handed to `handlers.messages` once, in id order per batch. Live
//   messages that arrive before a connection's `history` are held back and merged into it, so the cursor
//   never moves past a gap that history is still to fill.
// - The cursor (`lastMessageId`) is sent on every handshake, so `history` carries only what was missed; a
//   truncated gap fill is paged (over the socket) in every room before live messages resume.
// - `send` goes through the outbox (outbox.ts): one at a time, in order, retried with the same clientId.
// - Room requests are acked calls that fail fast when not connected; pages go over the socket while it is
//   up, else over REST. Every payload the server sends is checked against the protocol's schemas.
import type { Socket } from "socket.io-client";
import type { z } from "zod";
import {
  HTTP_STATUS,
  LIMITS,
  emptyAckSchema,
  joinAckSchema,
  pageAckSchema,
  searchAckSchema,
  readAckSchema,
  roomAckSchema,
  sendAckSchema,
  serverEventSchemas,
  type ClientToServerEvents,
  type HistoryPayload,
  type Message,
  type SearchResponse,
  type MessageAddress,
  type PresenceEvent,
  type ReadMarker,
  type RoomMemberEvent,
  type RoomSummary,
  type ServerToClientEvents,
  type SocketAuth,
  type TypingEvent,
  type UserProfile,
  type WireError,
  TOO_MANY_CONNECTIONS,
} from "../protocol";
import { newClientId } from "./client-id";
import { Cursor } from "./cursor";
import { ApiError, RequestError, SessionClosedError } from "./errors";
import type { Http, PageQuery } from "./http";
import { Outbox, type PendingSend } from "./outbox";

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type TimedSocket = ReturnType<ChatSocket["timeout"]>;
export type ConnectionState = "connecting" | "connected" | "reconnecting" | "disconnected";
export type { PendingSend };

/**
 * Where messages handed over came from. `latest`: the history of a connection that had no cursor, i.e. the
 * latest page of general rather than a gap fill.
 */
export type MessageSource = "latest" | "history" | "live" | "catch-up" | "loaded";

export interface ChatCoreHandlers {
  /** Messages not handed over before, ascending by id. */
  messages(messages: Message[], info: { source: MessageSource; reconnect: boolean }): void;
  /** A connection's history (and any catch-up) has been handed to `messages`. */
  ready(info: { reconnect: boolean }): void;
  state(state: ConnectionState, detail?: string): void;
  /** A server `error` event or another non-fatal problem (raw text: sanitize before printing). */
  notice(detail: string): void;
  /** A send attempt failed; it will be retried with the same clientId. */
  sendRetry?(item: PendingSend, reason: string): void;
  /** The server acked (stored) one of this client's messages. */
  sent?(message: Message, item: PendingSend): void;
  /**
   * A message this client may hold changed (edited, deleted, reactions): its whole new state, ascending by
   * seq. Also for older messages never handed over (changed while away): ignore those not held.
   */
  updated?(messages: Message[]): void;
  /** The handshake was refused with `unauthorized`: the token no longer works. The session is closed. */
  unauthorized(): void;
  roomJoined?(room: RoomSummary): void;
  roomLeft?(room: string): void;
  roomRead?(marker: ReadMarker): void;
  typing?(event: TypingEvent): void;
  presence?(event: PresenceEvent): void;
  /** someone's display name, status or avatar changed */
  userUpdated?(profile: UserProfile): void;
  member?(event: RoomMemberEvent): void;
}

export interface ChatCoreOptions {
  /** A socket (not yet connected) whose handshake auth is what `auth` gives at each (re)connect. */
  openSocket(auth: (cb: (data: SocketAuth) => void) => void): ChatSocket;
  http: Http;
  handlers: ChatCoreHandlers;
  /** how long to wait for an ack before retrying or giving up */
  ackTimeoutMs?: number;
  /** how long `settle` waits for the broadcast of an acked message before handing it over from the ack */
  echoGraceMs?: number;
  /**
   * Runs after each connection's history has been handed over and before `ready`; what it resolves with is
   * merged in like history (e.g. a room's latest messages). A rejection is reported as a notice.
   */
  beforeReady?: (info: { reconnect: boolean }) => Promise<Message[]>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class ChatCore {
  readonly socket: ChatSocket;
  readonly http: Http;
  private readonly handlers: ChatCoreHandlers;
  private readonly ackTimeoutMs: number;
  private readonly echoGraceMs: number;
  private readonly outbox: Outbox;
  private readonly cursor = new Cursor();
  /** live messages held back until the current connection's history is in; null once it is */
  private heldBack: Message[] | null = null;
  /** bumped on every connect and disconnect: stale catch-ups stop delivering */
  private generation = 0;
  private readyCount = 0;
  private connectionState: ConnectionState | undefined;
  /** acked messages whose broadcast has not been seen yet */
  private readonly awaitingEcho = new Map<number, Message>();
  private connectWaiters: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];
  private readyWaiters: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];
  private closedReason: SessionClosedError | undefined;
  /** set when the server said it closes this socket for a newer one of the same account */
  private displaced: string | undefined;

  constructor(private readonly options: ChatCoreOptions) {
    this.handlers = options.handlers;
    this.http = options.http;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 5_000;
    this.echoGraceMs = options.echoGraceMs ?? 2_000;
    // what the client has seen: the history then carries every change after `since` (new messages
    // included; `lastMessageId` for a server that knows only ids), or with neither the latest page
    this.socket = options.openSocket((cb) => {
      const { since, lastMessageId } = this.cursor;
      cb(lastMessageId === undefined ? {} : since === undefined ? { lastMessageId } : { lastMessageId, since });
    });
    this.outbox = new Outbox({
      waitForConnection: () => this.waitForConnection(),
      emitSend: (payload) => this.socket.timeout(this.ackTimeoutMs).emitWithAck("message:send", payload),
      closedReason: () => this.closedReason,
      acked: (message, item) => {
        if (!this.cursor.has(message.id)) this.awaitingEcho.set(message.id, message);
        this.handlers.sent?.(message, item);
      },
      retrying: (item, reason) => this.handlers.sendRetry?.(item, reason),
    });
    this.listen();
  }

  /** The id of the newest message this connection's stream delivered, sent as `lastMessageId` on reconnect. */
  get lastMessageId(): number | undefined {
    return this.cursor.lastMessageId;
  }

  /** The highest seq this connection's stream delivered, sent as `since` on reconnect. */
  get since(): number | undefined {
    return this.cursor.since;
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  /** Messages queued or in flight, not yet acked. */
  get pendingCount(): number {
    return this.outbox.size;
  }

  start(): void {
    this.setState("connecting");
    this.socket.connect();
  }

  /** Resolves once the first history has been handed over; rejects if the session closes first. */
  whenReady(): Promise<void> {
    if (this.readyCount > 0) return Promise.resolve();
    if (this.closedReason) return Promise.reject(this.closedReason);
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  /**
   * Queues a message (to general unless `target` says otherwise); resolves with the stored Message once
   * acked. `clientId` is given only to retry a message the server refused before.
   */
  send(
    content: string,
    target?: MessageAddress,
    options: { clientId?: string; replyTo?: number | undefined; files?: readonly string[] | undefined } = {},
  ): Promise<Message> {
    if (this.closedReason) return Promise.reject(this.closedReason);
    const { clientId = newClientId(), replyTo, files } = options;
    return this.outbox.push({
      content,
      clientId,
      ...(target && { target }),
      ...(replyTo && { replyTo }),
      ...(files?.length && { files }),
    });
  }

  /**
   * Resolves when every queued message has been acked (or refused) and every acked message has been
   * handed to `messages` (from its broadcast, or from the ack after `echoGraceMs`).
   */
  async settle(): Promise<void> {
    await this.outbox.idle();
    const deadline = Date.now() + this.echoGraceMs;
    while (this.awaitingEcho.size > 0 && Date.now() < deadline && !this.closed) await sleep(25);
    if (this.awaitingEcho.size > 0) this.deliver([...this.awaitingEcho.values()], "live");
  }

  /**
   * Counts messages shown some other way (a page) as seen, so they are not handed over again when they also
   * arrive on the socket. The cursor does not move: only the socket's own stream advances it, so a
   * reconnect never skips a message that is still on its way.
   */
  markSeen(messages: readonly Message[]): void {
    this.cursor.markSeen(messages);
    for (const message of messages) this.awaitingEcho.delete(message.id);
  }

  close(reason: SessionClosedError = new SessionClosedError()): void {
    if (this.closedReason) return;
    this.closedReason = reason;
    this.generation++;
    this.socket.disconnect();
    this.outbox.abort(reason);
    for (const waiter of this.connectWaiters.splice(0)) waiter.reject(reason);
    for (const waiter of this.readyWaiters.splice(0)) waiter.reject(reason);
  }

  // ---- requests -----------------------------------------------------------------------------------------

  async createRoom(name: string, isPrivate = false): Promise<RoomSummary> {
    const payload = isPrivate ? { name, private: true } : { name };
    return (await this.call(roomAckSchema, (s) => s.emitWithAck("room:create", payload))).room;
  }

  /** Joins a public room (or re-enters one the user is in): the room and its latest messages. */
  async joinRoom(room: string): Promise<{ room: RoomSummary; messages: Message[] }> {
    const ack = await this.call(joinAckSchema, (s) => s.emitWithAck("room:join", { room }));
    return { room: ack.room, messages: ack.messages };
  }

  async leaveRoom(room: string): Promise<void> {
    await this.call(emptyAckSchema, (s) => s.emitWithAck("room:leave", { room }));
  }

  async invite(room: string, username: string): Promise<void> {
    await this.call(emptyAckSchema, (s) => s.emitWithAck("room:invite", { room, username }));
  }

  // ---- message actions (acked once committed; each idempotent on the server) ----------------------------

  /** Edits one of this user's messages: its new state. */
  async edit(id: number, content: string): Promise<Message> {
    return (await this.call(sendAckSchema, (s) => s.emitWithAck("message:edit", { id, content }))).message;
  }

  /** Deletes a message (the author's own): its tombstone. */
  async deleteMessage(id: number): Promise<Message> {
    return (await this.call(sendAckSchema, (s) => s.emitWithAck("message:delete", { id }))).message;
  }

  async react(id: number, emoji: string): Promise<Message> {
    return (await this.call(sendAckSchema, (s) => s.emitWithAck("reaction:add", { id, emoji }))).message;
  }

  async unreact(id: number, emoji: string): Promise<Message> {
    return (await this.call(sendAckSchema, (s) => s.emitWithAck("reaction:remove", { id, emoji }))).message;
  }

  /** Moves the read marker; resolves with the unread count left and the newest id that count covers. */
  async markRead(
    room: string,
    lastReadId: number,
  ): Promise<{ unread: number; mentions: number; countedThrough: number }> {
    const ack = await this.call(readAckSchema, (s) => s.emitWithAck("room:read", { room, lastReadId }));
    return { unread: ack.unread, mentions: ack.mentions, countedThrough: ack.countedThrough };
  }

  /** Tells the room's other members this user is typing (dropped when not connected). */
  typing(room: string): void {
    if (this.socket.connected) this.socket.volatile.emit("typing", { room });
  }

  /**
   * A page of a room, over the socket while it is up (`messages:page`), else over REST. A refusal is thrown
   * as the ApiError REST would have given, so callers handle both alike.
   */
  async page(room: string, query: PageQuery): Promise<Message[]> {
    if (this.socket.connected) {
      try {
        return (await this.call(pageAckSchema, (s) => s.emitWithAck("messages:page", { room, ...query }))).messages;
      } catch (err) {
        if (err instanceof RequestError && err.code) throw new ApiError(HTTP_STATUS[err.code], err.message);
        if (err instanceof SessionClosedError) throw err;
        // no answer in time, or the connection dropped: ask REST
      }
    }
    return this.http.messages(room, query);
  }

  /** A page of search results, like `page`: over the socket's `search` while it is up, else GET /api/search. */
  async search(q: string, opts: { cursor?: string | null; limit?: number } = {}): Promise<SearchResponse> {
    const query = { q, ...(opts.cursor && { cursor: opts.cursor }), ...(opts.limit && { limit: opts.limit }) };
    if (this.socket.connected) {
      try {
        const { results, next } = await this.call(searchAckSchema, (s) => s.emitWithAck("search", query));
        return { results, next };
      } catch (err) {
        if (err instanceof RequestError && err.code) throw new ApiError(HTTP_STATUS[err.code], err.message);
        if (err instanceof SessionClosedError) throw err;
      }
    }
    return this.http.search(q, opts);
  }

  /** An acked request: the ack's fields on success, a RequestError otherwise. */
  private async call<S extends z.ZodType<{ ok: boolean; error?: WireError }>>(
    schema: S,
    emit: (socket: TimedSocket) => Promise<unknown>,
  ): Promise<Extract<z.infer<S>, { ok: true }>> {
    if (this.closedReason) throw this.closedReason;
    if (!this.socket.connected) throw new RequestError("not connected to the server; try again in a moment");
    let raw: unknown;
    try {
      raw = await emit(this.socket.timeout(this.ackTimeoutMs));
    } catch (err) {
      const closed = this.closedReason as SessionClosedError | undefined; // closed while waiting
      if (closed) throw closed;
      const timedOut = err instanceof Error && /timed out/i.test(err.message);
      throw new RequestError(timedOut ? "no answer from the server" : "connection lost");
    }
    const ack = schema.safeParse(raw);
    if (!ack.success) throw new RequestError("malformed answer from the server");
    const { ok, error } = ack.data as { ok: boolean; error?: WireError };
    if (!ok) throw new RequestError(error?.detail ?? "refused", error?.code);
    return ack.data as Extract<z.infer<S>, { ok: true }>;
  }

  // ---- connection ---------------------------------------------------------------------------------------

  private setState(state: ConnectionState, detail?: string): void {
    if (this.connectionState === state) return;
    this.connectionState = state;
    this.handlers.state(state, detail);
  }

  private waitForConnection(): Promise<void> {
    if (this.closedReason) return Promise.reject(this.closedReason);
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => this.connectWaiters.push({ resolve, reject }));
  }

  /** Registers `handler` for a server event; payloads that do not match the protocol are skipped. */
  private on<E extends keyof typeof serverEventSchemas>(
    event: E,
    handler: (payload: z.infer<(typeof serverEventSchemas)[E]>) => void,
  ): void {
    const schema = serverEventSchemas[event];
    const listener = (payload: unknown) => {
      const parsed = schema.safeParse(payload);
      if (parsed.success) handler(parsed.data as z.infer<(typeof serverEventSchemas)[E]>);
    };
    (this.socket as unknown as { on(e: string, l: (p: unknown) => void): void }).on(event, listener);
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
      if (reason === "io server disconnect" && this.displaced) {
        // newer connections of this account took this one's place: coming back would push out the next
        this.setState("disconnected", this.displaced);
        return;
      }
      if (reason === "io server disconnect") {
        // the server hung up (e.g. the session was revoked): try once more; a revoked token is refused with
        // `unauthorized`, anything else resumes normally
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
    this.on("history", (payload) => this.onHistory(payload));
    const live = (message: Message) => {
      if (this.heldBack) this.heldBack.push(message);
      else this.deliver([message], "live");
    };
    this.on("message:new", live);
    this.on("message:updated", live);
    this.on("error", ({ detail, code }) => {
      if (code === TOO_MANY_CONNECTIONS) this.displaced = detail;
      this.handlers.notice(detail);
    });
    this.on("room:joined", (room) => this.handlers.roomJoined?.(room));
    this.on("room:left", ({ room }) => this.handlers.roomLeft?.(room));
    this.on("room:read", (marker) => this.handlers.roomRead?.(marker));
    this.on("typing", (event) => this.handlers.typing?.(event));
    this.on("room:member", (event) => this.handlers.member?.(event));
    this.on("presence", (event) => this.handlers.presence?.(event));
    this.on("user:updated", (profile) => this.handlers.userUpdated?.(profile));
  }

  private onHistory(payload: HistoryPayload): void {
    const generation = this.generation;
    const reconnect = this.readyCount > 0;
    const held = this.heldBack ?? [];
    this.heldBack = [];
    const first = this.cursor.lastMessageId === undefined && this.cursor.since === undefined;
    this.deliver(payload.messages, first ? "latest" : "history");
    const finish = () => {
      if (generation !== this.generation) return;
      const live = this.heldBack ?? [];
      this.heldBack = null;
      this.deliver([...held, ...live], "live");
      this.readyCount++;
      this.handlers.ready({ reconnect });
      for (const waiter of this.readyWaiters.splice(0)) waiter.resolve();
    };
    const failed = (what: string) => (err: unknown) => {
      if (generation === this.generation) this.handlers.notice(`${what}: ${describe(err)}`);
    };
    const prepare = async () => {
      if (payload.truncated) await this.catchUp(generation).catch(failed("could not load every missed message"));
      const hook = this.options.beforeReady;
      if (!hook || generation !== this.generation) return;
      const extra = await hook({ reconnect }).catch((err: unknown) => {
        failed("could not load the room")(err);
        return [];
      });
      if (generation === this.generation) this.deliver(extra, "loaded");
    };
    if (!payload.truncated && !this.options.beforeReady) return finish();
    void prepare().then(finish);
  }

  /** Pages the rest of a truncated catch-up over GET /api/changes, by seq, from the cursor's `since`. */
  private async catchUp(generation: number): Promise<void> {
    const missed: Message[] = [];
    for (let from = this.cursor.since ?? 0; generation === this.generation;) {
      const page = await this.http.changes(from, LIMITS.changesMax);
      missed.push(...page.messages);
      if (page.messages.length < LIMITS.changesMax || page.next <= from) break;
      from = page.next;
    }
    if (generation === this.generation) this.deliver(missed, "catch-up");
  }

  private deliver(batch: readonly Message[], source: MessageSource): void {
    for (const message of batch) this.awaitingEcho.delete(message.id);
    const { fresh, changed } = this.cursor.take(batch, source === "loaded");
    if (fresh.length > 0 || source === "latest") {
      this.handlers.messages(fresh, { source, reconnect: this.readyCount > 0 });
    }
    if (changed.length > 0) this.handlers.updated?.(changed);
  }
}
