// The browser's adapter over the client core (lib/client): one core — one socket.io connection — for the
// page's life (room switches do not touch it), its handlers turned into reducer actions, and the UI's own
// policies (typing and read-marker throttles, timeline status per room). The React layer
// (hooks/useChat.ts) only starts it, reads its store and calls its methods.
import { ChatCore, type ChatCoreHandlers, type ConnectionState as CoreState } from "../client/chat-core";
import { newClientId } from "../client/client-id";
import { ApiError, RequestError, SendRejectedError } from "../client/errors";
import type { Http, PageQuery } from "../client/http";
import { browserTransport, type ClientTransport } from "../client/transport";
import {
  DEFAULT_ROOM,
  LIMITS,
  type Ack,
  type FileInfo,
  type Message,
  type RoomSummary,
  type SearchResponse,
} from "../protocol";
import {
  chatReducer,
  findRoom,
  initialChatState,
  type ChatAction,
  type ChatState,
  type ConnectionState,
  type OutboxItem,
} from "./chat-state";
import { roomKey, targetKey, type ChatTarget } from "./routes";
import { createStore, type Store } from "./store";

type Timer = ReturnType<typeof setTimeout>;

/** `typing` goes out at most this often per room while someone types */
export const TYPING_EVERY_MS = 2000;
/** an indicator disappears by itself this long after the last `typing` event */
export const TYPING_SHOWN_MS = 3000;
/** read markers go out at most this often per room */
const READ_EVERY_MS = 1000;
export const PAGE_SIZE = LIMITS.historyDefault;

const describe = (err: unknown) => (err instanceof Error ? err.message : "unknown error");

/** A core refusal as the Ack the dialogs show. */
function refusal(err: unknown): { ok: false; error: { code: RequestError["code"] & string; detail: string } } {
  const code = err instanceof RequestError && err.code ? err.code : "internal";
  return { ok: false, error: { code, detail: describe(err) } };
}

/** What the server's answer to a page means for the room. */
function statusOf(err: unknown): "forbidden" | "missing" | "error" {
  if (err instanceof ApiError && err.status === 403) return "forbidden";
  if (err instanceof ApiError && err.status === 404) return "missing";
  return "error";
}

const UI_STATE: Record<CoreState, ConnectionState> = {
  connecting: "connecting",
  connected: "live",
  reconnecting: "reconnecting",
  disconnected: "offline",
};

/** The name the server knows a conversation by: a room's name, or the DM room's. */
const apiName = (target: ChatTarget, me: string) => (target.kind === "room" ? target.name : targetKey(target, me));

interface ReadEntry {
  sentAt: number;
  wanted: number;
  sent: number;
  timer: Timer | undefined;
}

export class ChatClient {
  readonly store: Store<ChatState, ChatAction>;
  /** REST reads (with the page's session cookie) */
  readonly http: Http;
  private core: ChatCore | null = null;
  private readonly timers = new Set<Timer>();
  private readonly typingSentAt = new Map<string, number>();
  private readonly reads = new Map<string, ReadEntry>();
  private readonly liveListeners = new Set<(messages: Message[]) => void>();

  /** `transport`: the page's own server by default; tests in Node pass a token transport */
  constructor(
    readonly me: string,
    private readonly transport: ClientTransport = browserTransport(),
  ) {
    this.store = createStore(chatReducer, initialChatState(me));
    this.http = transport.http;
  }

  /** The running core, while started (tests in Node drop its connection). */
  get session(): ChatCore | null {
    return this.core;
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

  /** Opens the connection; the returned function closes it all. */
  start(onUnauthorized: () => void): () => void {
    const core = new ChatCore({
      ...this.transport,
      handlers: this.handlers(onUnauthorized),
    });
    this.core = core;
    core.start();
    return () => {
      core.close();
      this.core = null;
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      for (const read of this.reads.values()) clearTimeout(read.timer);
      this.reads.clear();
    };
  }

  private handlers(onUnauthorized: () => void): ChatCoreHandlers {
    let connects = 0;
    return {
      state: (state) => {
        this.dispatch({ type: "connection", state: UI_STATE[state] });
        if (state !== "connected") return;
        this.dispatch({ type: "error", error: null });
        // events missed while away (joins, leaves, reads elsewhere) are in these lists
        if (++connects > 1) this.dispatch({ type: "members:stale" });
        this.refreshRooms();
        this.refreshUsers();
        for (const [room, entry] of this.reads) if (entry.wanted > entry.sent) this.flushRead(room, entry);
      },
      unauthorized: onUnauthorized,
      messages: (messages, { source, reconnect }) => {
        if (source === "live") for (const listener of this.liveListeners) listener(messages);
        if (source !== "latest") return this.dispatch({ type: "received", messages });
        // a connection with no cursor gets general's latest page; on a reconnect nothing had come live
        // before, so there was no id to ask after: every loaded room reloads instead
        if (reconnect) this.dispatch({ type: "timelines:stale" });
        this.dispatch({ type: "page", room: DEFAULT_ROOM, messages, older: false, limit: PAGE_SIZE });
      },
      updated: (messages) => this.dispatch({ type: "updated", messages }),
      ready: () => undefined,
      notice: (detail) => this.dispatch({ type: "error", error: detail }),
      roomJoined: (room) => this.dispatch({ type: "room:joined", room }),
      roomLeft: (room) => this.dispatch({ type: "room:left", room }),
      member: (change) => this.dispatch({ type: "room:member", ...change }),
      roomRead: (read) => this.dispatch({ type: "room:read", ...read }),
      typing: ({ room, username }) => {
        const key = roomKey(room);
        const until = Date.now() + TYPING_SHOWN_MS;
        this.dispatch({ type: "typing", room: key, username, until });
        this.later(TYPING_SHOWN_MS, () => this.dispatch({ type: "typing:expire", room: key, username, until }));
      },
      presence: ({ username, online }) =>
        this.dispatch({ type: "presence", username, online, at: new Date().toISOString() }),
      userUpdated: (profile) => this.dispatch({ type: "user:updated", profile }),
    };
  }

  /** Calls `listener` with each batch of messages that arrive live (not history, gap fills or pages). */
  onLive(listener: (messages: Message[]) => void): () => void {
    this.liveListeners.add(listener);
    return () => this.liveListeners.delete(listener);
  }

  /** A history page: over the socket while it is up, else over REST (the core decides). */
  private page(room: string, query: PageQuery): Promise<Message[]> {
    return this.core ? this.core.page(room, query) : this.http.messages(room, query);
  }

  /** A page of search results (the core: over the socket while it is up, else REST); refusals throw ApiError. */
  search(q: string, cursor: string | null = null): Promise<SearchResponse> {
    return this.core ? this.core.search(q, { cursor }) : this.http.search(q, { cursor });
  }

  refreshRooms(): void {
    const askedAt = this.state.membershipSeq;
    this.http.rooms().then(
      (rooms) => this.dispatch({ type: "rooms", rooms, askedAt }),
      (err: unknown) => this.dispatch({ type: "error", error: `Could not load your rooms: ${describe(err)}` }),
    );
  }

  /** Fetches a room's member list into the state (room:member events keep it current from then on). */
  async loadMembers(room: string, signal?: AbortSignal): Promise<void> {
    const askedAt = this.state.memberSeq;
    const members = await this.http.members(room, signal);
    this.dispatch({ type: "members", room, members, askedAt });
  }

  refreshUsers(): void {
    this.http.users().then(
      (users) => this.dispatch({ type: "users", users }),
      (err: unknown) => this.dispatch({ type: "error", error: `Could not load people: ${describe(err)}` }),
    );
  }

  dismissError = (): void => this.dispatch({ type: "error", error: null });

  // ---- messages -------------------------------------------------------------------------------------------

  /** Hands the item to the core's outbox (retried with its clientId until acked); a refusal marks it failed. */
  private deliver(item: OutboxItem): void {
    const files = item.files?.map((f) => f.id);
    this.core?.send(item.content, item.address, { clientId: item.clientId, replyTo: item.replyTo, files }).then(
      (message) => this.dispatch({ type: "received", messages: [message] }),
      (err: unknown) => {
        if (!(err instanceof SendRejectedError)) return; // the page is closing
        this.dispatch({
          type: "outbox:update",
          clientId: item.clientId,
          patch: { state: "failed", error: err.message },
        });
      },
    );
  }

  /** Sends a message (answering `replyTo`, a message of the same conversation, if given; carrying `files`). */
  send = (target: ChatTarget, content: string, replyTo?: number, files?: FileInfo[]): void => {
    const room = targetKey(target, this.me);
    const address =
      target.kind === "dm" ? { to: target.peer } : { room: findRoom(this.state, room)?.name ?? target.name };
    const item: OutboxItem = { clientId: newClientId(), content, state: "sending", room, address, replyTo, files };
    // written while reading far back: the conversation moves to its end, where the message will show
    if (this.state.timelines[room]?.ahead) this.reload(target);
    this.dispatch({ type: "outbox:add", item });
    this.typingSentAt.delete(room); // the next keystroke is a new message being typed
    this.deliver(item);
  };

  retry = (clientId: string): void => {
    const item = this.state.outbox.find((o) => o.clientId === clientId);
    if (!item) return;
    this.dispatch({ type: "outbox:update", clientId, patch: { state: "sending", error: undefined } });
    this.deliver({ ...item, state: "sending" });
  };

  discard = (clientId: string): void => this.dispatch({ type: "outbox:remove", clientId });

  /** A message action; its new state goes into the timeline at once (the broadcast follows). */
  private async act(run: (core: ChatCore) => Promise<Message>): Promise<Ack<{ message: Message }>> {
    const ack = await this.request(async (core) => ({ message: await run(core) }));
    if (ack.ok) this.dispatch({ type: "updated", messages: [ack.message] });
    return ack;
  }

  edit = (id: number, content: string) => this.act((core) => core.edit(id, content));
  deleteMessage = (id: number) => this.act((core) => core.deleteMessage(id));
  react = (id: number, emoji: string) => this.act((core) => core.react(id, emoji));
  unreact = (id: number, emoji: string) => this.act((core) => core.unreact(id, emoji));

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

  /**
   * Makes message `id` held, loading the page around it when it is not (the timeline then stays off the live
   * end until pages loaded forward reach it). Resolves with whether the message is now held.
   */
  loadAround = async (target: ChatTarget, id: number): Promise<boolean> => {
    const key = targetKey(target, this.me);
    const holds = () => this.state.timelines[key]?.messages.some((m) => m.id === id) ?? false;
    if (holds()) return true;
    try {
      const messages = await this.page(apiName(target, this.me), { around: id, limit: PAGE_SIZE });
      this.dispatch({ type: "around", room: key, messages, target: id });
    } catch (err) {
      this.dispatch({ type: "error", error: `Could not load that message: ${describe(err)}` });
    }
    return holds();
  };

  /** The page after the newest message shown, while the timeline is off the live end. */
  loadNewer = (target: ChatTarget): void => {
    const key = targetKey(target, this.me);
    const t = this.state.timelines[key];
    const newest = t?.messages.at(-1)?.id;
    if (!t || t.status !== "ready" || !t.ahead || t.loadingNewer || newest === undefined) return;
    this.dispatch({ type: "newer:loading", room: key, loading: true });
    this.page(apiName(target, this.me), { after: newest, limit: PAGE_SIZE }).then(
      (messages) => this.dispatch({ type: "newer", room: key, messages, limit: PAGE_SIZE }),
      (err: unknown) =>
        this.dispatch({
          type: "newer:loading",
          room: key,
          loading: false,
          error: `Could not load newer messages: ${describe(err)}`,
        }),
    );
  };

  /** Back to the live end from a window far back: the latest page again. */
  showLatest = (target: ChatTarget): void => {
    if (this.state.timelines[targetKey(target, this.me)]?.ahead) this.reload(target);
  };

  // ---- rooms ----------------------------------------------------------------------------------------------

  /** Runs a core request, answering as an Ack (the dialogs show `error.detail`). */
  private async request<T extends object>(run: (core: ChatCore) => Promise<T>): Promise<Ack<T>> {
    if (!this.core) return refusal(new RequestError("Not connected to the server; try again in a moment"));
    try {
      return { ok: true, ...(await run(this.core)) };
    } catch (err) {
      return refusal(err);
    }
  }

  createRoom = async (name: string, isPrivate: boolean): Promise<Ack<{ room: RoomSummary }>> => {
    const ack = await this.request(async (core) => ({ room: await core.createRoom(name, isPrivate) }));
    if (ack.ok) this.dispatch({ type: "room:joined", room: ack.room });
    return ack;
  };

  joinRoom = async (name: string): Promise<Ack<{ room: RoomSummary; messages: Message[] }>> => {
    const ack = await this.request((core) => core.joinRoom(name));
    if (ack.ok) {
      this.dispatch({ type: "room:joined", room: ack.room });
      const key = roomKey(ack.room.name);
      this.dispatch({ type: "page", room: key, messages: ack.messages, older: false, limit: PAGE_SIZE });
    }
    return ack;
  };

  leaveRoom = async (name: string): Promise<Ack<object>> => {
    const ack = await this.request(async (core) => {
      await core.leaveRoom(name);
      return {};
    });
    if (ack.ok) this.dispatch({ type: "room:left", room: name });
    return ack;
  };

  invite = (room: string, username: string): Promise<Ack<object>> =>
    this.request(async (core) => {
      await core.invite(room, username);
      return {};
    });

  // ---- presence in a room: reading and typing -------------------------------------------------------------

  /** The room on screen (in a visible tab), or null: its new messages are not counted unread. */
  view = (room: string | null): void => this.dispatch({ type: "view", room });

  /** Moves the read marker, at most once a second per room (the newest id asked for wins). */
  markRead = (room: string, lastReadId: number): void => {
    const entry = this.reads.get(room) ?? { sentAt: 0, wanted: 0, sent: 0, timer: undefined };
    entry.wanted = Math.max(entry.wanted, lastReadId);
    this.reads.set(room, entry);
    if (entry.timer !== undefined) return;
    const wait = entry.sentAt + READ_EVERY_MS - Date.now();
    if (wait <= 0) this.flushRead(room, entry);
    else entry.timer = setTimeout(() => this.flushRead(room, entry), wait);
  };

  /** Sends the newest marker asked for; one that cannot go now goes on the next connect. */
  private flushRead(room: string, entry: ReadEntry): void {
    entry.timer = undefined;
    if (!this.core?.connected) return;
    entry.sentAt = Date.now();
    const wanted = entry.wanted;
    // the server answers every tab of this user with `room:read`, this one included
    this.core.markRead(room, wanted).then(
      () => (entry.sent = Math.max(entry.sent, wanted)),
      () => undefined,
    );
  }

  /** Tells the room's other members this user is typing, at most every TYPING_EVERY_MS. */
  typing = (target: ChatTarget): void => {
    const key = targetKey(target, this.me);
    const room = findRoom(this.state, key);
    if (!room || !this.core?.connected) return; // a DM not started yet has nobody to tell
    const now = Date.now();
    if (now - (this.typingSentAt.get(key) ?? 0) < TYPING_EVERY_MS) return;
    this.typingSentAt.set(key, now);
    this.core.typing(room.name);
  };
}
