// Everything the chat UI shows, as one immutable state and a pure reducer: rooms with unread counts, each
// room's timeline (merged by id), the outbox, people with presence, and who is typing where. The socket
// and REST plumbing (chat-client.ts) only turns events into actions.
import {
  DEFAULT_ROOM,
  type Message,
  type MessageAddress,
  type ReadMarker,
  type RoomSummary,
  type UserProfile,
  type UserSummary,
} from "../protocol";
import { mentionsUser } from "../notify/mentions";
import { roomKey } from "./routes";
import {
  applyChanges,
  extendNewer,
  mergeMessages,
  placeAround,
  placeLatest,
  receiveInto,
  settleOutgoing,
  type LoadedWindow,
  type Outgoing,
} from "./timeline";

export type ConnectionState = "connecting" | "live" | "reconnecting" | "offline";

/**
 * idle: nothing fetched yet (live messages may already be there); forbidden: a public room the user has
 * not joined; missing: no such room, or one the user may not know about (a DM not started yet is missing).
 */
export type TimelineStatus = "idle" | "loading" | "ready" | "forbidden" | "missing" | "error";

/** `messages` and `ahead`: see LoadedWindow (a window off the live end has newer messages to load) */
export interface Timeline extends LoadedWindow {
  status: TimelineStatus;
  /** older messages may exist before messages[0] */
  hasOlder: boolean;
  loadingOlder: boolean;
  /** a page after the last message is on its way (the window is off the live end) */
  loadingNewer: boolean;
  /** why the last newer page could not be loaded */
  newerError: string | null;
  /** why the latest page could not be loaded (status error) */
  error: string | null;
  /** why the last older page could not be loaded */
  olderError: string | null;
}

/** An own message on its way: to a room by name, or to a user (a DM that may not exist yet). */
export interface OutboxItem extends Outgoing {
  /** key of the room it will land in */
  room: string;
  address: MessageAddress;
  /** the message it answers */
  replyTo?: number | undefined;
}

export interface ChatState {
  me: string;
  connection: ConnectionState;
  error: string | null;
  /** general first, then rooms, then DMs, each by name */
  rooms: RoomSummary[];
  roomsLoaded: boolean;
  timelines: Partial<Record<string, Timeline>>;
  outbox: OutboxItem[];
  users: UserSummary[];
  usersLoaded: boolean;
  /** room key → username → when the indicator expires (ms since epoch) */
  typing: Partial<Record<string, Partial<Record<string, number>>>>;
  /** the room on screen in a visible tab: its messages are read as they arrive */
  viewing: string | null;
  /** room key → the newest id the server's unread count already covered (from its last summary) */
  countedThrough: Partial<Record<string, number>>;
  /** counts room:joined / room:left events, so a rooms list asked for before the latest ones cannot undo them */
  membershipSeq: number;
  /** room key → the latest membership event: its seq, and the room if it was a join */
  membershipLog: Partial<Record<string, { seq: number; name: string; joined: RoomSummary | null }>>;
  /** room key → its members' usernames, once fetched; kept current by room:member */
  members: Partial<Record<string, string[]>>;
  /** counts room:member events; with the latest few per room, so that a list fetched meanwhile catches up */
  memberSeq: number;
  memberLog: Partial<Record<string, { seq: number; username: string; joined: boolean }[]>>;
}

export type ChatAction =
  | { type: "connection"; state: ConnectionState }
  | { type: "error"; error: string | null }
  /** the user's rooms from the server; `askedAt`: the state's membershipSeq when the list was asked for */
  | { type: "rooms"; rooms: RoomSummary[]; askedAt?: number }
  | { type: "room:joined"; room: RoomSummary }
  | { type: "room:left"; room: string }
  | ({ type: "room:read" } & ReadMarker)
  /** from the socket (history, live, acks): may be new, so they count as unread */
  | { type: "received"; messages: Message[] }
  /** newer states of messages (edited, deleted, reactions changed) */
  | { type: "updated"; messages: Message[] }
  /** a REST page (or a join's history) of one room */
  | { type: "page"; room: string; messages: Message[]; older: boolean; limit: number }
  | { type: "timeline:status"; room: string; status: TimelineStatus; error?: string | null }
  | { type: "older:loading"; room: string; loading: boolean; error?: string | null }
  /** the page around message `target` (a jump to a reply's parent, a link) */
  | { type: "around"; room: string; messages: Message[]; target: number }
  /** a page after the last message held, while the window is off the live end */
  | { type: "newer"; room: string; messages: Message[]; limit: number }
  | { type: "newer:loading"; room: string; loading: boolean; error?: string | null }
  /** a reconnect could not ask for the gap (nothing was ever received live): every loaded room reloads */
  | { type: "timelines:stale" }
  /** a room's member list, fetched; `askedAt`: the state's memberSeq when it was asked for */
  | { type: "members"; room: string; members: string[]; askedAt?: number }
  /** someone else joined or left a room (room:member) */
  | { type: "room:member"; room: string; username: string; joined: boolean }
  /** after a reconnect, joins and leaves may have been missed: lists are fetched again when shown */
  | { type: "members:stale" }
  | { type: "users"; users: UserSummary[] }
  | { type: "presence"; username: string; online: boolean; at: string }
  /** someone's display name, status or avatar changed (user:updated) */
  | { type: "user:updated"; profile: UserProfile }
  | { type: "typing"; room: string; username: string; until: number }
  | { type: "typing:expire"; room: string; username: string; until: number }
  | { type: "view"; room: string | null }
  | { type: "outbox:add"; item: OutboxItem }
  | { type: "outbox:update"; clientId: string; patch: Partial<Pick<OutboxItem, "state" | "error">> }
  | { type: "outbox:remove"; clientId: string };

/** `users` with `profile` applied to its user (added, offline, if not listed yet). */
function withProfile(users: UserSummary[], profile: UserProfile): UserSummary[] {
  const key = profile.username.toLowerCase();
  if (!users.some((u) => u.username.toLowerCase() === key)) {
    return [...users, { ...profile, online: false, lastSeen: null }];
  }
  return users.map((u) => (u.username.toLowerCase() === key ? { ...u, ...profile } : u));
}

export function initialChatState(me: string): ChatState {
  return {
    me,
    connection: "connecting",
    error: null,
    rooms: [],
    roomsLoaded: false,
    timelines: {},
    outbox: [],
    users: [],
    usersLoaded: false,
    typing: {},
    viewing: null,
    countedThrough: {},
    membershipSeq: 0,
    membershipLog: {},
    members: {},
    memberSeq: 0,
    memberLog: {},
  };
}

export const emptyTimeline = (status: TimelineStatus = "idle"): Timeline => ({
  messages: [],
  ahead: null,
  status,
  hasOlder: false,
  loadingOlder: false,
  loadingNewer: false,
  error: null,
  olderError: null,
  newerError: null,
});

/** Every message a timeline holds, shown or kept ahead, in id order. */
export const heldMessages = (t: Timeline): Message[] => (t.ahead ? [...t.messages, ...t.ahead] : t.messages);

const rank = (r: RoomSummary) => (roomKey(r.name) === DEFAULT_ROOM ? 0 : r.kind === "room" ? 1 : 2);
const label = (r: RoomSummary) => (r.peer ?? r.name).toLowerCase();

export function sortRooms(rooms: readonly RoomSummary[]): RoomSummary[] {
  return [...rooms].sort((a, b) => rank(a) - rank(b) || label(a).localeCompare(label(b)));
}

export const findRoom = (state: ChatState, key: string): RoomSummary | undefined =>
  state.rooms.find((r) => roomKey(r.name) === key);

/**
 * A summary from the server, brought up to what this client holds: messages that arrived live after the
 * server counted (newer than its lastMessageId) are added, and the room on screen has nothing unread.
 */
/** Counts as unread: anyone else's message, and any webhook's post (a user's own hooks' too). */
const byOther = (m: Message, me: string): boolean => m.username !== me || Boolean(m.bot);

function reconcile(state: ChatState, room: RoomSummary): RoomSummary {
  const key = roomKey(room.name);
  const t = state.timelines[key];
  const newer = (t ? heldMessages(t) : []).filter((m) => m.id > room.lastMessageId);
  const others = newer.filter((m) => byOther(m, state.me));
  const viewing = state.viewing === key;
  const unread = viewing ? 0 : room.unread + others.length;
  const mentions = viewing ? 0 : room.mentions + countMentions(state, room, others);
  const lastMessageId = newer.at(-1)?.id ?? room.lastMessageId;
  return unread === room.unread && mentions === room.mentions && lastMessageId === room.lastMessageId
    ? room
    : { ...room, unread, mentions, lastMessageId };
}

/** Of others' messages, how many call for this user's attention: every one in a DM, else those mentioning them. */
function countMentions(state: ChatState, room: RoomSummary, messages: readonly Message[]): number {
  if (room.kind === "dm") return messages.length;
  return messages.filter((m) => mentionsUser(m, state.me)).length;
}

function upsertRoom(state: ChatState, room: RoomSummary): RoomSummary[] {
  const key = roomKey(room.name);
  return sortRooms([...state.rooms.filter((r) => roomKey(r.name) !== key), reconcile(state, room)]);
}

function patchTimeline(state: ChatState, key: string, patch: (t: Timeline) => Timeline): ChatState["timelines"] {
  return { ...state.timelines, [key]: patch(state.timelines[key] ?? emptyTimeline()) };
}

/** Live messages: merged into their rooms; counted unread where nobody is looking (never one's own). */
function receive(state: ChatState, messages: readonly Message[]): ChatState {
  if (messages.length === 0) return state;
  const byRoom = new Map<string, Message[]>();
  for (const m of messages) {
    const key = roomKey(m.room);
    byRoom.set(key, [...(byRoom.get(key) ?? []), m]);
  }
  let timelines = state.timelines;
  // per room, the messages this batch adds: not held before (a re-delivery is not news), each id once
  const added = new Map<string, Message[]>();
  for (const [key, batch] of byRoom) {
    const t = timelines[key] ?? emptyTimeline();
    const held = new Set(heldMessages(t).map((m) => m.id));
    const fresh = new Map<number, Message>();
    for (const m of batch) if (!held.has(m.id)) fresh.set(m.id, m);
    added.set(key, [...fresh.values()]);
    timelines = { ...timelines, [key]: { ...t, ...receiveInto(t, batch) } };
  }
  const rooms = state.rooms.map((r) => {
    const key = roomKey(r.name);
    const batch = added.get(key);
    if (!batch?.length) return r;
    // the server's count covers what its summary had seen; anything newer that is new to us counts,
    // whatever order it arrives in (a gap fill can follow a newer live message)
    const covered = state.countedThrough[key] ?? r.lastMessageId;
    const news = batch.filter((m) => m.id > covered && byOther(m, state.me));
    const viewing = state.viewing === key;
    const unread = viewing ? 0 : r.unread + news.length;
    const mentions = viewing ? 0 : r.mentions + countMentions(state, r, news);
    return { ...r, unread, mentions, lastMessageId: Math.max(r.lastMessageId, ...batch.map((m) => m.id)) };
  });
  // whoever sent a message has stopped typing it
  let typing = state.typing;
  for (const m of messages) {
    const key = roomKey(m.room);
    const inRoom = typing[key];
    if (inRoom?.[m.username] === undefined) continue;
    const rest = { ...inRoom };
    delete rest[m.username];
    typing = { ...typing, [key]: rest };
  }
  return { ...state, timelines, rooms, typing, outbox: settleOutgoing(state.outbox, messages) };
}

/** room:member events kept per room for lists still on their way (a fetch takes milliseconds) */
const MEMBER_LOG_SIZE = 20;

function update(state: ChatState, messages: readonly Message[]): ChatState {
  let timelines = state.timelines;
  for (const key of new Set(messages.map((m) => roomKey(m.room)))) {
    const t = timelines[key];
    if (!t) continue;
    const next = applyChanges(t.messages, messages);
    const ahead = t.ahead && applyChanges(t.ahead, messages);
    if (next !== t.messages || ahead !== t.ahead) timelines = { ...timelines, [key]: { ...t, messages: next, ahead } };
  }
  return timelines === state.timelines ? state : { ...state, timelines };
}

/** A read marker from any tab: the server's count, plus what this tab holds past what that count covered. */
function readMarker(state: ChatState, marker: ReadMarker): ChatState {
  const key = roomKey(marker.room);
  const room = state.rooms.find((r) => roomKey(r.name) === key);
  // a marker older than ours is a stale event: its count is stale too
  if (!room || marker.lastReadId < room.lastReadId) return state;
  const covered = Math.max(marker.countedThrough, marker.lastReadId);
  const t = state.timelines[key];
  const beyond = (t ? heldMessages(t) : []).filter((m) => m.id > covered && byOther(m, state.me));
  const viewing = state.viewing === key;
  const unread = viewing ? 0 : marker.unread + beyond.length;
  const mentions = viewing ? 0 : marker.mentions + countMentions(state, room, beyond);
  return {
    ...state,
    rooms: state.rooms.map((r) => (r === room ? { ...r, lastReadId: marker.lastReadId, unread, mentions } : r)),
    countedThrough: { ...state.countedThrough, [key]: Math.max(covered, state.countedThrough[key] ?? 0) },
  };
}

/** The page around `target` into a timeline: see placeAround. */
function around(t: Timeline, page: Message[], target: number): Timeline {
  const next = placeAround(t, page);
  if (next === t) return t;
  // the page starts the run now: anything before it is unknown unless the page has nothing before the target
  const pageFirst = page[0]?.id ?? target;
  const startsRun = next.messages[0]?.id === pageFirst && t.messages[0]?.id !== pageFirst;
  return {
    ...t,
    ...next,
    hasOlder: startsRun ? pageFirst < target : t.hasOlder,
    loadingNewer: false,
    newerError: null,
    olderError: startsRun ? null : t.olderError,
  };
}

function applyMember(list: string[], change: { username: string; joined: boolean }): string[] {
  const others = list.filter((u) => u.toLowerCase() !== change.username.toLowerCase());
  return change.joined ? [...others, change.username] : others;
}

function joined(state: ChatState, room: RoomSummary): ChatState {
  const key = roomKey(room.name);
  const t = state.timelines[key];
  // a room that was out of reach (not joined, DM not started) can be loaded now
  const timelines =
    t && (t.status === "forbidden" || t.status === "missing")
      ? { ...state.timelines, [key]: { ...t, status: "idle" as const } }
      : state.timelines;
  return {
    ...state,
    rooms: upsertRoom(state, room),
    timelines,
    countedThrough: { ...state.countedThrough, [key]: room.lastMessageId },
  };
}

function left(state: ChatState, name: string): ChatState {
  const key = roomKey(name);
  const timelines = { ...state.timelines };
  delete timelines[key];
  const members = { ...state.members };
  delete members[key];
  return {
    ...state,
    members,
    rooms: state.rooms.filter((r) => roomKey(r.name) !== key),
    timelines,
    outbox: state.outbox.filter((o) => o.room !== key),
  };
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case "connection":
      return { ...state, connection: action.state };
    case "error":
      return { ...state, error: action.error };
    case "rooms": {
      let next: ChatState = {
        ...state,
        rooms: sortRooms(action.rooms.map((r) => reconcile(state, r))),
        roomsLoaded: true,
        countedThrough: Object.fromEntries(action.rooms.map((r) => [roomKey(r.name), r.lastMessageId])),
      };
      // a join or leave that happened while the list was on its way may be missing from it: it still holds
      const listed = new Set(action.rooms.map((r) => roomKey(r.name)));
      for (const [key, event] of Object.entries(state.membershipLog)) {
        if (!event || action.askedAt === undefined || event.seq <= action.askedAt) continue;
        if (event.joined && !listed.has(key)) next = joined(next, event.joined);
        if (!event.joined && listed.has(key)) next = left(next, event.name);
      }
      return next;
    }
    case "room:joined": {
      const seq = state.membershipSeq + 1;
      const log = { seq, name: action.room.name, joined: action.room };
      return joined(
        { ...state, membershipSeq: seq, membershipLog: { ...state.membershipLog, [roomKey(action.room.name)]: log } },
        action.room,
      );
    }
    case "room:left": {
      const seq = state.membershipSeq + 1;
      const log = { seq, name: action.room, joined: null };
      return left(
        { ...state, membershipSeq: seq, membershipLog: { ...state.membershipLog, [roomKey(action.room)]: log } },
        action.room,
      );
    }
    case "room:read":
      return readMarker(state, action);
    case "received":
      return receive(state, action.messages);
    case "updated":
      return update(state, action.messages);
    case "page": {
      const { messages, older, limit } = action;
      return {
        ...state,
        outbox: settleOutgoing(state.outbox, messages),
        timelines: patchTimeline(state, action.room, (t) => ({
          ...t,
          ...(older ? { messages: mergeMessages(t.messages, messages) } : placeLatest(t, messages)),
          status: "ready",
          // a latest page says whether anything lies before it (unless it only adds to a window that reaches
          // the live end and so started before it); an older page, whether anything lies before that
          hasOlder: older || t.status !== "ready" || t.ahead !== null ? messages.length >= limit : t.hasOlder,
          loadingOlder: older ? false : t.loadingOlder,
          error: null,
          olderError: older ? null : t.olderError,
        })),
      };
    }
    case "timeline:status":
      return {
        ...state,
        timelines: patchTimeline(state, action.room, (t) => ({
          ...t,
          status: action.status,
          error: action.error ?? null,
        })),
      };
    case "older:loading":
      return {
        ...state,
        timelines: patchTimeline(state, action.room, (t) => ({
          ...t,
          loadingOlder: action.loading,
          olderError: action.error ?? null,
        })),
      };
    case "around": {
      const t = state.timelines[action.room];
      const next = t && around(t, action.messages, action.target);
      return next && next !== t ? { ...state, timelines: { ...state.timelines, [action.room]: next } } : state;
    }
    case "newer":
      return {
        ...state,
        outbox: settleOutgoing(state.outbox, action.messages),
        timelines: patchTimeline(state, action.room, (t) => ({
          ...t,
          ...extendNewer(t, action.messages, action.limit),
          loadingNewer: false,
          newerError: null,
        })),
      };
    case "newer:loading":
      return {
        ...state,
        timelines: patchTimeline(state, action.room, (t) => ({
          ...t,
          loadingNewer: action.loading,
          newerError: action.error ?? null,
        })),
      };
    case "members": {
      const key = roomKey(action.room);
      if (!state.rooms.some((r) => roomKey(r.name) === key)) return state; // left meanwhile
      // joins and leaves heard while the list was on its way may be missing from it
      const newer = (state.memberLog[key] ?? []).filter((e) => action.askedAt !== undefined && e.seq > action.askedAt);
      const members = newer.reduce(applyMember, action.members);
      return { ...state, members: { ...state.members, [key]: members } };
    }
    case "room:member": {
      const key = roomKey(action.room);
      const seq = state.memberSeq + 1;
      const log = [...(state.memberLog[key] ?? []), { seq, username: action.username, joined: action.joined }];
      const list = state.members[key];
      return {
        ...state,
        memberSeq: seq,
        memberLog: { ...state.memberLog, [key]: log.slice(-MEMBER_LOG_SIZE) },
        // not fetched yet: it will be when shown
        members: list ? { ...state.members, [key]: applyMember(list, action) } : state.members,
      };
    }
    case "members:stale":
      return { ...state, members: {} };
    case "timelines:stale": {
      const timelines: ChatState["timelines"] = {};
      for (const [key, t] of Object.entries(state.timelines)) {
        if (t) timelines[key] = t.status === "ready" ? { ...t, status: "idle" } : t;
      }
      return { ...state, timelines };
    }
    case "users":
      return { ...state, users: action.users, usersLoaded: true };
    case "presence": {
      const known = state.users.some((u) => u.username === action.username);
      const update = (u: UserSummary): UserSummary =>
        u.username === action.username
          ? { ...u, online: action.online, lastSeen: action.online ? null : action.at }
          : u;
      return {
        ...state,
        users: known
          ? state.users.map(update)
          : [
              ...state.users,
              { username: action.username, online: action.online, lastSeen: action.online ? null : action.at },
            ],
      };
    }
    case "user:updated":
      return { ...state, users: withProfile(state.users, action.profile) };
    case "typing":
      return {
        ...state,
        typing: { ...state.typing, [action.room]: { ...state.typing[action.room], [action.username]: action.until } },
      };
    case "typing:expire": {
      const inRoom = state.typing[action.room];
      // a newer typing event extended it: that one's own timer ends it
      if (inRoom?.[action.username] !== action.until) return state;
      const rest = { ...inRoom };
      delete rest[action.username];
      return { ...state, typing: { ...state.typing, [action.room]: rest } };
    }
    case "view": {
      if (state.viewing === action.room) return state;
      const rooms =
        action.room === null
          ? state.rooms
          : state.rooms.map((r) =>
              roomKey(r.name) === action.room && (r.unread > 0 || r.mentions > 0)
                ? { ...r, unread: 0, mentions: 0 }
                : r,
            );
      return { ...state, viewing: action.room, rooms };
    }
    case "outbox:add":
      return { ...state, outbox: [...state.outbox, action.item] };
    case "outbox:update":
      return {
        ...state,
        outbox: state.outbox.map((o) => (o.clientId === action.clientId ? { ...o, ...action.patch } : o)),
      };
    case "outbox:remove":
      return { ...state, outbox: state.outbox.filter((o) => o.clientId !== action.clientId) };
  }
}
