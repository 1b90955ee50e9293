// The terminal client's room book, kept free of I/O so it can be unit-tested: room references as the user
// types them (`ops`, `#ops`, `@bob`), the rooms and DMs the user is in with their unread counts, and how the
// prompt, notices, /rooms and /who read. Everything from the server is sanitized here. (Commands are parsed
// in terminal/commands.ts, typing is tracked in terminal/typing.ts.)
import {
  DEFAULT_ROOM,
  dmRoomName,
  isDmRoom,
  roomNameSchema,
  usernameSchema,
  type Message,
  type ReadMarker,
  type RoomSummary,
  type UserSummary,
} from "../lib/protocol";
import { formatTime } from "./render";
import { sanitizeInline } from "./sanitize";

// ---- what the user types ------------------------------------------------------------------------------

/** A room as the user names it: `ops` or `#ops`, or `@bob` for the direct messages with bob. */
export type RoomRef = { kind: "room"; name: string } | { kind: "dm"; user: string };

/** `ops`, `#ops` → a room; `@bob` → bob's direct messages; anything else is an error message. */
export function parseRoomRef(text: string): RoomRef | { error: string } {
  const raw = text.trim();
  if (raw.startsWith("@")) {
    const user = usernameSchema.safeParse(raw.slice(1));
    return user.success ? { kind: "dm", user: user.data } : { error: user.error.issues[0]?.message ?? "bad username" };
  }
  const name = roomNameSchema.safeParse(raw.startsWith("#") ? raw.slice(1) : raw);
  return name.success ? { kind: "room", name: name.data } : { error: name.error.issues[0]?.message ?? "bad room" };
}

// ---- where the user is ----------------------------------------------------------------------------------

/** What the screen shows: a room, or the direct messages with one user (`name` is the DM room's name). */
export type View = { kind: "room"; name: string } | { kind: "dm"; peer: string; name: string };

export const generalView = (): View => ({ kind: "room", name: DEFAULT_ROOM });
export const dmView = (self: string, peer: string): View => ({ kind: "dm", peer, name: dmRoomName(self, peer) });

/** Room names are unique case-insensitively. */
export const roomKey = (name: string): string => name.toLowerCase();
export const sameRoom = (a: string, b: string): boolean => roomKey(a) === roomKey(b);

/** `#general` or `@bob`. */
export function viewLabel(view: View): string {
  return view.kind === "dm" ? `@${sanitizeInline(view.peer)}` : `#${sanitizeInline(view.name)}`;
}

/** The other user of a DM room named `dm:a:b` (lower-case names), or undefined. */
export function peerFromDmName(name: string, self: string): string | undefined {
  if (!isDmRoom(name)) return undefined;
  const [, a, b] = name.split(":");
  if (a === undefined || b === undefined) return undefined;
  return a === self.toLowerCase() ? b : a;
}

// ---- rooms, DMs and unread counts -------------------------------------------------------------------------

export interface RoomEntry {
  name: string;
  kind: "room" | "dm";
  private: boolean;
  peer?: string;
  unread: number;
  lastMessageId: number;
  lastReadId: number;
}

/** Where the book stood when a room list was asked for (`RoomBook.mark`). */
export interface ListMark {
  /** joins and leaves seen so far */
  changes: number;
  /** this list's place among the lists asked for */
  request: number;
}

interface Tracked extends RoomEntry {
  /** ids counted as unread here since the last count from the server (a fresher count may include them) */
  pending: number[];
}

/**
 * The user's rooms and DMs with unread counts. Counts come from the server (`GET /api/rooms`,
 * `room:joined`, `room:read`) and are kept current between those by counting live messages by others
 * after the read marker. A server count covers messages up to its `lastMessageId`; messages counted here
 * that are newer than that are added on top, so nothing is counted twice or dropped.
 */
export class RoomBook {
  private readonly rooms = new Map<string, Tracked>();
  /** counts joins and leaves; `changed` holds each room's latest, so an older list cannot undo them */
  private changes = 0;
  private readonly changed = new Map<string, { at: number; joined: boolean }>();
  /** lists asked for, and the latest of them applied: one asked for earlier but answered later is stale */
  private asked = 0;
  private applied = 0;

  constructor(private readonly self: string) {}

  get(name: string): RoomEntry | undefined {
    return this.rooms.get(roomKey(name));
  }

  has(name: string): boolean {
    return this.rooms.has(roomKey(name));
  }

  /** general first, then rooms, then DMs, each by name. */
  list(): RoomEntry[] {
    const order = (r: RoomEntry) => (sameRoom(r.name, DEFAULT_ROOM) ? 0 : r.kind === "room" ? 1 : 2);
    return [...this.rooms.values()].sort(
      (a, b) => order(a) - order(b) || labelOf(a).localeCompare(labelOf(b), undefined, { sensitivity: "base" }),
    );
  }

  /** The peers of the user's DMs (lower case). */
  dmPeers(): Set<string> {
    const peers = new Set<string>();
    for (const r of this.rooms.values()) if (r.kind === "dm" && r.peer) peers.add(r.peer.toLowerCase());
    return peers;
  }

  /** Taken when a list is asked for, and given to `replaceAll` with that list. */
  mark(): ListMark {
    return { changes: this.changes, request: ++this.asked };
  }

  /**
   * The full list from `GET /api/rooms`: rooms missing from it are gone, the others take its counts.
   * `askedAt` (a `mark()` taken when the list was asked for): a room joined since then stays even if the list
   * lacks it, and a room left since then does not come back; a list asked for before one already applied is
   * older than what the book holds and changes nothing. Returns whether the list was applied.
   */
  replaceAll(summaries: readonly RoomSummary[], askedAt?: ListMark): boolean {
    if (askedAt && askedAt.request < this.applied) return false;
    this.applied = askedAt?.request ?? this.asked; // no mark: the list is the truth now, newer than any asked
    const changesAt = askedAt?.changes ?? Infinity;
    const since = (key: string) => {
      const c = this.changed.get(key);
      return c && c.at > changesAt ? c : undefined;
    };
    const keep = new Set(summaries.map((s) => roomKey(s.name)));
    for (const key of [...this.rooms.keys()]) if (!keep.has(key) && !since(key)?.joined) this.rooms.delete(key);
    for (const summary of summaries) if (since(roomKey(summary.name))?.joined !== false) this.put(summary);
    return true;
  }

  /** One room's summary from the server (room:joined, a join or create ack). */
  upsert(summary: RoomSummary): void {
    this.changed.set(roomKey(summary.name), { at: ++this.changes, joined: true });
    this.put(summary);
  }

  private put(summary: RoomSummary): void {
    const key = roomKey(summary.name);
    const old = this.rooms.get(key);
    const pending = (old?.pending ?? []).filter((id) => id > summary.lastMessageId && id > summary.lastReadId);
    const entry: Tracked = {
      name: summary.name,
      kind: summary.kind,
      private: summary.private,
      unread: summary.unread + pending.length,
      lastMessageId: Math.max(summary.lastMessageId, old?.lastMessageId ?? 0),
      lastReadId: Math.max(summary.lastReadId, old?.lastReadId ?? 0),
      pending,
    };
    const peer = summary.peer ?? old?.peer ?? peerFromDmName(summary.name, this.self);
    if (peer !== undefined) entry.peer = peer;
    this.rooms.set(key, entry);
  }

  remove(name: string): void {
    this.changed.set(roomKey(name), { at: ++this.changes, joined: false });
    this.rooms.delete(roomKey(name));
  }

  /**
   * A message arrived. Returns true if it made the room (not `current`, whose messages are being read)
   * one more unread. Messages of a room not known yet (a first DM before its room:joined) add the room.
   */
  onMessage(message: Message, current: string | undefined): boolean {
    const key = roomKey(message.room);
    let entry = this.rooms.get(key);
    if (!entry) {
      const dm = isDmRoom(message.room);
      entry = {
        name: message.room,
        kind: dm ? "dm" : "room",
        private: dm,
        unread: 0,
        lastMessageId: 0,
        lastReadId: 0,
        pending: [],
      };
      const peer = dm
        ? message.username.toLowerCase() !== this.self.toLowerCase()
          ? message.username
          : peerFromDmName(message.room, this.self)
        : undefined;
      if (peer !== undefined) entry.peer = peer;
      this.rooms.set(key, entry);
      this.changed.set(key, { at: ++this.changes, joined: true });
    }
    if (message.id <= entry.lastMessageId) return false; // already in the server's count, or seen
    entry.lastMessageId = message.id;
    if (current !== undefined && sameRoom(current, message.room)) return false;
    if (message.username.toLowerCase() === this.self.toLowerCase() || message.id <= entry.lastReadId) return false;
    entry.unread++;
    entry.pending.push(message.id);
    return true;
  }

  /** The read marker moved (room:read from any device, or the ack of ours). */
  onRead(marker: ReadMarker): void {
    const entry = this.rooms.get(roomKey(marker.room));
    if (!entry || marker.lastReadId < entry.lastReadId) return; // an older marker than one already applied
    entry.lastReadId = marker.lastReadId;
    // what arrived past the server's count is still unread on top of it
    entry.pending = entry.pending.filter((id) => id > marker.countedThrough && id > marker.lastReadId);
    entry.unread = marker.unread + entry.pending.length;
  }

  /** The room is on screen: everything in it up to its newest message counts as read here. */
  readLocally(name: string): void {
    const entry = this.rooms.get(roomKey(name));
    if (!entry) return;
    entry.unread = 0;
    entry.pending = [];
  }

  /** Rooms other than `current` with unread messages, in list order. */
  unreadRooms(current: string | undefined): RoomEntry[] {
    return this.list().filter((r) => r.unread > 0 && !(current !== undefined && sameRoom(r.name, current)));
  }
}

/** `ops` for a room, `@bob` for a DM (the short form used in the prompt). */
export function labelOf(entry: Pick<RoomEntry, "name" | "kind" | "peer">): string {
  if (entry.kind === "dm") return `@${sanitizeInline(entry.peer ?? entry.name)}`;
  return sanitizeInline(entry.name);
}

/** `#ops` for a room, `@bob` for a DM. */
export function longLabelOf(entry: Pick<RoomEntry, "name" | "kind" | "peer">): string {
  return entry.kind === "dm" ? labelOf(entry) : `#${labelOf(entry)}`;
}

/** `[ops 2, @bob 1]`, at most `max` rooms then `+N more`; empty when nothing is unread. */
export function formatUnread(rooms: readonly RoomEntry[], max = 4): string {
  if (rooms.length === 0) return "";
  const shown = rooms.slice(0, max).map((r) => `${labelOf(r)} ${r.unread > 999 ? "999+" : r.unread}`);
  if (rooms.length > max) shown.push(`+${rooms.length - max} more`);
  return `[${shown.join(", ")}]`;
}

/** `carol #general [ops 2, @bob 1]> ` (without colours). */
export function formatPrompt(username: string, view: View, unread: string): string {
  return `${sanitizeInline(username)} ${viewLabel(view)}${unread ? ` ${unread}` : ""}> `;
}

/** The one-line notice for messages in a room the user is not looking at. */
export function formatNewNotice(entry: RoomEntry): string {
  const n = entry.unread;
  return entry.kind === "dm"
    ? `* ${n} new from ${labelOf(entry)} (/dm ${sanitizeInline(entry.peer ?? "")})`
    : `* ${n} new in ${longLabelOf(entry)} (/switch ${labelOf(entry)})`;
}

// ---- /rooms and /who ----------------------------------------------------------------------------------

/** "online", "last seen 14:02" (today), "last seen 2024-02-07 14:02", or "never seen". */
export function formatPresence(user: Pick<UserSummary, "online" | "lastSeen">, now: Date = new Date()): string {
  if (user.online) return "online";
  if (!user.lastSeen) return "offline";
  const seen = new Date(user.lastSeen);
  if (Number.isNaN(seen.getTime())) return "offline";
  const sameDay = seen.toDateString() === now.toDateString();
  if (sameDay) return `last seen ${formatTime(user.lastSeen)}`;
  const date = `${seen.getFullYear()}-${String(seen.getMonth() + 1).padStart(2, "0")}-${String(seen.getDate()).padStart(2, "0")}`;
  return `last seen ${date} ${formatTime(user.lastSeen)}`;
}

export interface RoomListInput {
  rooms: readonly RoomEntry[];
  /** public rooms (from the directory); those not joined are offered */
  directory: readonly { name: string; joined: boolean }[];
  current: View;
  users?: readonly UserSummary[];
  now?: Date;
}

/** The text of /rooms: the user's rooms, their DMs (with presence), then public rooms to join. */
export function formatRoomList({ rooms, directory, current, users, now = new Date() }: RoomListInput): string {
  const online = new Map((users ?? []).map((u) => [u.username.toLowerCase(), u]));
  const line = (r: RoomEntry) => {
    const here = sameRoom(r.name, current.name) ? ">" : " ";
    const label = longLabelOf(r).padEnd(20);
    const notes: string[] = [];
    if (r.unread > 0) notes.push(`${r.unread} unread`);
    if (r.kind === "room" && r.private) notes.push("private");
    const user = r.peer ? online.get(r.peer.toLowerCase()) : undefined;
    if (r.kind === "dm" && user) notes.push(formatPresence(user, now));
    return `${here} ${label}${notes.join(" · ")}`.trimEnd();
  };
  const own = rooms.filter((r) => r.kind === "room");
  const dms = rooms.filter((r) => r.kind === "dm");
  const out = ["Rooms:", ...own.map(line)];
  out.push("Direct messages:", ...(dms.length > 0 ? dms.map(line) : ["  (none yet: /dm <user>)"]));
  const joinable = directory.filter((d) => !d.joined).map((d) => `#${sanitizeInline(d.name)}`);
  if (joinable.length > 0) out.push(`Public rooms to /join: ${joinable.join(", ")}`);
  return out.join("\n");
}

export interface WhoInput {
  users: readonly UserSummary[];
  /** the current room's members; undefined for general (everyone) */
  members?: readonly string[];
  current: View;
  now?: Date;
}

/** The text of /who: the current room's members with presence, then everyone else. */
export function formatWho({ users, members, current, now = new Date() }: WhoInput): string {
  const byName = new Map(users.map((u) => [u.username.toLowerCase(), u]));
  const row = (name: string) => {
    const user = byName.get(name.toLowerCase());
    const dot = user?.online ? "●" : "○";
    const shown = sanitizeInline(user?.username ?? name).padEnd(20);
    const presence = user ? formatPresence(user, now) : "";
    // a display name goes after the handle (which is what /dm and @mentions take)
    const display = user?.displayName ? `  ${sanitizeInline(user.displayName)}` : "";
    return `  ${dot} ${shown} ${presence}${display}`.trimEnd();
  };
  const sorted = (names: readonly string[]) =>
    [...names].sort((a, b) => {
      const ua = byName.get(a.toLowerCase())?.online ? 0 : 1;
      const ub = byName.get(b.toLowerCase())?.online ? 0 : 1;
      return ua - ub || a.localeCompare(b, undefined, { sensitivity: "base" });
    });
  if (members === undefined) {
    const online = users.filter((u) => u.online).length;
    return [`Everyone (${users.length}, ${online} online):`, ...sorted(users.map((u) => u.username)).map(row)].join(
      "\n",
    );
  }
  const inRoom = new Set(members.map((m) => m.toLowerCase()));
  const others = users.filter((u) => !inRoom.has(u.username.toLowerCase())).map((u) => u.username);
  const out = [`In ${viewLabel(current)} (${members.length}):`, ...sorted(members).map(row)];
  if (others.length > 0 && current.kind === "room") {
    out.push(`Not in ${viewLabel(current)}:`, ...sorted(others).map(row));
  }
  return out.join("\n");
}
