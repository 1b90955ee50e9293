// The browser's side of the chat: one socket.io connection for the page's life (room switches do not touch
// it), every event turned into a reducer action, REST pages per room, and the acked room operations. The
// React layer (hooks/useChat.ts) only starts it, reads its store and calls its methods.
import { io, type Socket } from "socket.io-client";
import { HTTP_STATUS } from "../errors";
import {
  DEFAULT_ROOM,
  LIMITS,
  SOCKET_PATH,
  type Ack,
  type ClientToServerEvents,
  type Message,
  type RoomSummary,
  type ServerToClientEvents,
} from "../protocol";
import { api, HttpError, type PageQuery } from "./api";
import {
  chatReducer,
  findRoom,
  initialChatState,
  type ChatAction,
  type ChatState,
  type OutboxItem,
} from "./chat-state";
import { roomKey, targetKey, type ChatTarget } from "./routes";
import { createStore, type Store } from "./store";
import { lastId, newClientId } from "./timeline";

type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type TimedSocket = ReturnType<ChatSocket["timeout"]>;
type Timer = ReturnType<typeof setTimeout>;

const ACK_TIMEOUT_MS = 5000;
/** `typing` goes out at most this often per room while someone types */
export const TYPING_EVERY_MS = 2000;
/** an indicator disappears by itself this long after the last `typing` event */
export const TYPING_SHOWN_MS = 3000;
/** read markers go out at most this often per room */
const READ_EVERY_MS = 1000;
export const PAGE_SIZE = LIMITS.historyDefault;

const failure = (detail: string) => ({ ok: false as const, error: { code: "internal" as const, detail } });

const describe = (err: unknown) => (err instanceof Error ? err.message : "unknown error");

/** What the server's answer to a REST page means for the room. */
function statusOf(err: unknown): "forbidden" | "missing" | "error" {
  if (err instanceof HttpError && err.status === 403) return "forbidden";
  if (err instanceof HttpError && err.status === 404) return "missing";
  return "error";
}

/** The name the server knows a conversation by: a room's name, or the DM room's. */
const apiName = (target: ChatTarget, me: string) => (target.kind === "room" ? target.name : targetKey(target, me));

export class ChatClient {
  readonly store: Store<ChatState, ChatAction>;
  private socket: ChatSocket | null = null;
  /** newest id this socket has delivered: the next (re)connect asks for what came after it, in every room */
  private lastSeenId: number | undefined;
  private readonly timers = new Set<Timer>();
  private readonly typingSentAt = new Map<string, number>();
  private readonly reads = new Map<string, { sentAt: number; wanted: number; timer: Timer | undefined }>();

  constructor(readonly me: string) {
    this.store = createStore(chatReducer, initialChatState(me));
  }

  private get state(): ChatState {
    return this.store.getState();
  }

  private dispatch(action: ChatAction): void {
    this.store.dispatch(action);
  }

  private later(ms: number, run: () => void): Timer {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  /**
   * Moves the reconnect cursor. Until this connection's history has arrived, live messages (which the
   * server may send first) are held back from it: were the connection to drop before the history, a cursor
   * moved past them would skip the gap for good.
   */
  private seen(messages: readonly Message[]): void {
    if (!this.synced) {
      this.heldBack.push(...messages);
      return;
    }
    for (const m of messages) if (this.lastSeenId === undefined || m.id > this.lastSeenId) this.lastSeenId = m.id;
  }
  private synced = false;
  private heldBack: Message[] = [];

  /** Opens the socket and registers every listener once; the returned function closes it all. */
  start(onUnauthorized: () => void): () => void {
    let askedAfter: number | undefined;
    let connects = 0;
    const socket: ChatSocket = io({
      path: SOCKET_PATH,
      withCredentials: true,
      // evaluated at every (re)connect: the server then sends exactly what we missed
      auth: (cb) => {
        connects++;
        this.synced = false;
        this.heldBack = [];
        askedAfter = this.lastSeenId;
        cb(askedAfter === undefined ? {} : { lastMessageId: askedAfter });
      },
    });
    this.socket = socket;

    socket.on("connect", () => {
      this.dispatch({ type: "connection", state: "live" });
      this.dispatch({ type: "error", error: null });
      // events missed while away (joins, leaves, reads elsewhere) are in these lists
      if (connects > 1) this.dispatch({ type: "members:stale" });
      this.refreshRooms();
      this.refreshUsers();
      for (const item of this.state.outbox) if (item.state === "sending") void this.deliver(item);
    });
    socket.on("disconnect", (reason) => {
      this.dispatch({ type: "connection", state: reason === "io client disconnect" ? "offline" : "reconnecting" });
      if (reason === "io server disconnect") onUnauthorized(); // session ended (logout elsewhere)
    });
    socket.on("connect_error", (err) => {
      if (err.message === "unauthorized") return onUnauthorized();
      this.dispatch({ type: "connection", state: socket.active ? "reconnecting" : "offline" });
    });
    socket.on("history", ({ messages, truncated }) => {
      this.synced = true;
      this.seen([...messages, ...this.heldBack]);
      this.heldBack = [];
      // a first connect gets general's latest page; a reconnect gets the gap in every room
      if (askedAfter === undefined) {
        // nothing had come live before this reconnect, so there was no id to ask after: reload instead
        if (connects > 1) this.dispatch({ type: "timelines:stale" });
        this.dispatch({ type: "page", room: DEFAULT_ROOM, messages, older: false, limit: PAGE_SIZE });
      } else {
        this.dispatch({ type: "received", messages });
      }
      if (truncated) {
        this.pageMissed(lastId(messages) ?? askedAfter ?? 0).catch(() =>
          this.dispatch({ type: "error", error: "Could not load every missed message; reload to retry" }),
        );
      }
    });
    socket.on("message:new", (m) => {
      this.seen([m]);
      this.dispatch({ type: "received", messages: [m] });
    });
    socket.on("room:joined", (room) => this.dispatch({ type: "room:joined", room }));
    socket.on("room:left", ({ room }) => this.dispatch({ type: "room:left", room }));
    socket.on("room:member", (change) => this.dispatch({ type: "room:member", ...change }));
    socket.on("room:read", (read) => this.dispatch({ type: "room:read", ...read }));
    socket.on("typing", ({ room, username }) => {
      const key = roomKey(room);
      const until = Date.now() + TYPING_SHOWN_MS;
      this.dispatch({ type: "typing", room: key, username, until });
      this.later(TYPING_SHOWN_MS, () => this.dispatch({ type: "typing:expire", room: key, username, until }));
    });
    socket.on("presence", ({ username, online }) =>
      this.dispatch({ type: "presence", username, online, at: new Date().toISOString() }),
    );
    socket.on("error", ({ detail }) => this.dispatch({ type: "error", error: detail }));

    return () => {
      socket.removeAllListeners();
      socket.disconnect();
      this.socket = null;
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      for (const read of this.reads.values()) clearTimeout(read.timer);
      this.reads.clear();
    };
  }

  /**
   * A history page: over the socket when it is up (no HTTP request, the session is known), else over REST.
   * Refusals carry the HTTP status REST would have answered, so callers handle both alike.
   */
  private async page(room: string, query: PageQuery): Promise<Message[]> {
    const socket = this.socket;
    if (socket?.connected) {
      const ack = await (
        socket.timeout(ACK_TIMEOUT_MS).emitWithAck("messages:page", { room, ...query }) as Promise<
          Ack<{ messages: Message[] }>
        >
      ).catch(() => null); // no answer in time: ask REST instead
      if (ack?.ok) return ack.messages;
      if (ack) throw new HttpError(HTTP_STATUS[ack.error.code], ack.error.detail);
    }
    return api.messages(room, query);
  }

  /** More was missed than a gap fill carries: page the rest of every room we hold messages of. */
  private async pageMissed(after: number): Promise<void> {
    const rooms = Object.entries(this.state.timelines).filter(([, t]) => (t?.messages.length ?? 0) > 0);
    for (const [key] of rooms) {
      for (let cursor = after; ;) {
        const page = await this.page(key, { after: cursor, limit: LIMITS.pageMax });
        this.seen(page);
        this.dispatch({ type: "received", messages: page });
        if (page.length < LIMITS.pageMax) break;
        cursor = lastId(page) ?? cursor;
      }
    }
  }

  refreshRooms(): void {
    const askedAt = this.state.membershipSeq;
    api.rooms().then(
      (rooms) => this.dispatch({ type: "rooms", rooms, askedAt }),
      (err: unknown) => this.dispatch({ type: "error", error: `Could not load your rooms: ${describe(err)}` }),
    );
  }

  /** Fetches a room's member list into the state (room:member events keep it current from then on). */
  async loadMembers(room: string, signal?: AbortSignal): Promise<void> {
    const askedAt = this.state.memberSeq;
    const members = await api.members(room, signal);
    this.dispatch({ type: "members", room, members, askedAt });
  }

  refreshUsers(): void {
    api.users().then(
      (users) => this.dispatch({ type: "users", users }),
      (err: unknown) => this.dispatch({ type: "error", error: `Could not load people: ${describe(err)}` }),
    );
  }

  dismissError = (): void => this.dispatch({ type: "error", error: null });

  // ---- messages -------------------------------------------------------------------------------------------

  private async deliver(item: OutboxItem): Promise<void> {
    const socket = this.socket;
    if (!socket?.connected) return; // sent on the next connect
    try {
      const ack = (await socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck("message:send", { content: item.content, clientId: item.clientId, ...item.address })) as Ack<{
        message: Message;
      }>;
      if (ack.ok) {
        this.seen([ack.message]);
        this.dispatch({ type: "received", messages: [ack.message] });
      } else {
        this.dispatch({
          type: "outbox:update",
          clientId: item.clientId,
          patch: { state: "failed", error: ack.error.detail },
        });
      }
    } catch {
      // no ack in time: still "sending"; the next connect retries with the same clientId
    }
  }

  send = (target: ChatTarget, content: string): void => {
    const room = targetKey(target, this.me);
    const address =
      target.kind === "dm" ? { to: target.peer } : { room: findRoom(this.state, room)?.name ?? target.name };
    const item: OutboxItem = { clientId: newClientId(), content, state: "sending", room, address };
    this.dispatch({ type: "outbox:add", item });
    this.typingSentAt.delete(room); // the next keystroke is a new message being typed
    void this.deliver(item);
  };

  retry = (clientId: string): void => {
    const item = this.state.outbox.find((o) => o.clientId === clientId);
    if (!item) return;
    this.dispatch({ type: "outbox:update", clientId, patch: { state: "sending", error: undefined } });
    void this.deliver({ ...item, state: "sending" });
  };

  discard = (clientId: string): void => this.dispatch({ type: "outbox:remove", clientId });

  // ---- timelines ------------------------------------------------------------------------------------------

  /** Fetches a conversation's latest page unless it is loaded or loading. */
  ensureLoaded = (target: ChatTarget): void => {
    const key = targetKey(target, this.me);
    const t = this.state.timelines[key];
    if (t && t.status !== "idle") return;
    this.dispatch({ type: "timeline:status", room: key, status: "loading" });
    this.page(apiName(target, this.me), { limit: PAGE_SIZE }).then(
      (messages) => this.dispatch({ type: "page", room: key, messages, older: false, limit: PAGE_SIZE }),
      (err: unknown) =>
        this.dispatch({ type: "timeline:status", room: key, status: statusOf(err), error: describe(err) }),
    );
  };

  reload = (target: ChatTarget): void => {
    this.dispatch({ type: "timeline:status", room: targetKey(target, this.me), status: "idle" });
    this.ensureLoaded(target);
  };

  /** The page before the oldest message held, if there may be one and none is on its way. */
  loadOlder = (target: ChatTarget): void => {
    const key = targetKey(target, this.me);
    const t = this.state.timelines[key];
    const oldest = t?.messages[0]?.id;
    if (!t || t.status !== "ready" || !t.hasOlder || t.loadingOlder || oldest === undefined) return;
    this.dispatch({ type: "older:loading", room: key, loading: true });
    this.page(apiName(target, this.me), { before: oldest, limit: PAGE_SIZE }).then(
      (messages) => this.dispatch({ type: "page", room: key, messages, older: true, limit: PAGE_SIZE }),
      (err: unknown) =>
        this.dispatch({
          type: "older:loading",
          room: key,
          loading: false,
          error: `Could not load older messages: ${describe(err)}`,
        }),
    );
  };

  // ---- rooms ----------------------------------------------------------------------------------------------

  private async request<T extends object>(emit: (socket: TimedSocket) => Promise<unknown>): Promise<Ack<T>> {
    const socket = this.socket;
    if (!socket?.connected) return failure("Not connected to the server; try again in a moment");
    try {
      return (await emit(socket.timeout(ACK_TIMEOUT_MS))) as Ack<T>;
    } catch {
      return failure("The server did not answer in time; try again");
    }
  }

  createRoom = async (name: string, isPrivate: boolean): Promise<Ack<{ room: RoomSummary }>> => {
    const ack = await this.request<{ room: RoomSummary }>((s) =>
      s.emitWithAck("room:create", { name, private: isPrivate }),
    );
    if (ack.ok) this.dispatch({ type: "room:joined", room: ack.room });
    return ack;
  };

  joinRoom = async (name: string): Promise<Ack<{ room: RoomSummary; messages: Message[] }>> => {
    const ack = await this.request<{ room: RoomSummary; messages: Message[] }>((s) =>
      s.emitWithAck("room:join", { room: name }),
    );
    if (ack.ok) {
      this.dispatch({ type: "room:joined", room: ack.room });
      const key = roomKey(ack.room.name);
      this.dispatch({ type: "page", room: key, messages: ack.messages, older: false, limit: PAGE_SIZE });
    }
    return ack;
  };

  leaveRoom = async (name: string): Promise<Ack<object>> => {
    const ack = await this.request<object>((s) => s.emitWithAck("room:leave", { room: name }));
    if (ack.ok) this.dispatch({ type: "room:left", room: name });
    return ack;
  };

  invite = (room: string, username: string): Promise<Ack<object>> =>
    this.request<object>((s) => s.emitWithAck("room:invite", { room, username }));

  // ---- presence in a room: reading and typing -------------------------------------------------------------

  /** The room on screen (in a visible tab), or null: its new messages are not counted unread. */
  view = (room: string | null): void => this.dispatch({ type: "view", room });

  /** Moves the read marker, at most once a second per room (the newest id asked for wins). */
  markRead = (room: string, lastReadId: number): void => {
    const key = roomKey(room);
    const entry = this.reads.get(key) ?? { sentAt: 0, wanted: 0, timer: undefined };
    entry.wanted = Math.max(entry.wanted, lastReadId);
    this.reads.set(key, entry);
    if (entry.timer !== undefined) return;
    const flush = () => {
      entry.timer = undefined;
      entry.sentAt = Date.now();
      // the server answers every tab of this user with `room:read`, this one included
      this.socket?.emit("room:read", { room, lastReadId: entry.wanted }, () => undefined);
    };
    const wait = entry.sentAt + READ_EVERY_MS - Date.now();
    if (wait <= 0) flush();
    else entry.timer = setTimeout(flush, wait);
  };

  /** Tells the room's other members this user is typing, at most every TYPING_EVERY_MS. */
  typing = (target: ChatTarget): void => {
    const key = targetKey(target, this.me);
    const room = findRoom(this.state, key);
    if (!room || !this.socket?.connected) return; // a DM not started yet has nobody to tell
    const now = Date.now();
    if (now - (this.typingSentAt.get(key) ?? 0) < TYPING_EVERY_MS) return;
    this.typingSentAt.set(key, now);
    this.socket.emit("typing", { room: room.name });
  };
}
