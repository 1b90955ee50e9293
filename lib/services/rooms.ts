// Rooms, direct messages and read markers. Every read and write checks membership here, so no transport
// can hand a non-member a room's messages.
import type { MessageQueries, RoomQueries, RoomRecord, UserQueries } from "../db/data-layer";
import { AppError } from "../errors";
import {
  DEFAULT_ROOM,
  dmRoomName,
  isDmRoom,
  LIMITS,
  type Message,
  type ReadMarker,
  type RoomSummary,
} from "../protocol";
import { mentionedMembers, mentionTokens, type Member } from "../notify/mentions";
import type { Identity } from "./auth";
import type { ChatEvents } from "./events";

export interface RoomDeps {
  rooms: RoomQueries;
  users: UserQueries;
  messages: MessageQueries;
  events: ChatEvents;
}

export function createRoomService(deps: RoomDeps) {
  const { rooms, users, messages, events } = deps;

  const peerOf = (room: RoomRecord, me: string): string | undefined => {
    if (room.kind !== "dm") return undefined;
    const [, a, b] = room.name.split(":");
    return a === me.toLowerCase() ? b : a;
  };

  /** unread mentions; in a DM every unread message calls for attention as a mention does */
  const mentionCount = (room: RoomRecord, userId: number, unread: number, lastReadId: number, upTo?: number) =>
    room.kind === "dm" ? Promise.resolve(unread) : rooms.mentionCount(room.name, userId, lastReadId, upTo);

  async function summary(room: RoomRecord, user: Identity, lastReadId: number): Promise<RoomSummary> {
    // newest first, then counted up to it: a message committed between two parallel reads would be in
    // lastMessageId but not in the count, and the client (which drops what a count covers) would lose it
    const lastMessageId = await rooms.lastMessageId(room.name);
    const unread = await rooms.unreadCount(room.name, user.userId, lastReadId, lastMessageId);
    const s: RoomSummary = {
      name: room.name,
      kind: room.kind,
      private: room.private,
      unread,
      mentions: await mentionCount(room, user.userId, unread, lastReadId, lastMessageId),
      lastMessageId,
      lastReadId,
    };
    const peer = peerOf(room, user.username);
    if (peer) s.peer = (await users.findUserByName(peer))?.username ?? peer;
    return s;
  }

  /** The room, if `user` may read it. Private rooms and DMs are "not found" to outsiders: no leak that they exist. */
  async function readable(user: Identity, name: string): Promise<{ room: RoomRecord; lastReadId: number }> {
    const room = await rooms.findRoom(name);
    const member = room && (await rooms.membership(room.id, user.userId));
    if (room && member) return { room, lastReadId: member.lastReadId };
    if (room && !room.private && room.kind === "room") {
      throw new AppError("forbidden", `You are not in #${room.name}: join it first`);
    }
    throw new AppError("not_found", `No room named ${name}`);
  }

  // The send path checks membership for every message, and history pages for every page: rooms are never
  // renamed or deleted, so their records are cached for good; a membership is trusted for a few seconds (a
  // leave drops it at once: in this process, or — scaled out — as soon as its relayed event arrives).
  const MEMBER_TTL_MS = 10_000;
  const roomCache = new Map<string, RoomRecord>();
  /** (room name lower-cased, user id) → trusted until */
  const memberCache = new Map<string, number>();
  /** (room, user) → leaves so far: a check that started before a leave must not cache what it read */
  const leaves = new Map<string, number>();
  const memberKey = (room: string, userId: number) => `${userId}:${room.toLowerCase()}`;
  events.on("membership", ({ userId, room, joined }) => {
    if (joined) return;
    const key = memberKey(room, userId);
    memberCache.delete(key);
    leaves.set(key, (leaves.get(key) ?? 0) + 1);
  });

  /** The room, if `user` is in it (cached; see above). */
  async function memberRoom(user: Identity, name: string): Promise<RoomRecord> {
    const key = memberKey(name, user.userId);
    const cached = roomCache.get(name.toLowerCase());
    if (cached && (memberCache.get(key) ?? 0) > Date.now()) return cached;
    const leavesBefore = leaves.get(key) ?? 0;
    const { room } = await readable(user, name);
    roomCache.set(room.name.toLowerCase(), room);
    // a leave while this check read the database: the answer may predate it, so it is used once, not kept
    if ((leaves.get(key) ?? 0) === leavesBefore) memberCache.set(key, Date.now() + MEMBER_TTL_MS);
    return room;
  }

  function added(room: RoomRecord, userId: number, username: string): void {
    events.emit("membership", { userId, username, room: room.name, joined: true });
  }

  /** The DM room of `user` and `username`, opened on first use; both are members for good, so it caches. */
  async function dm(user: Identity, username: string): Promise<RoomRecord> {
    const cached = roomCache.get(dmRoomName(user.username, username));
    if (cached) return cached;
    const other = await users.findUserByName(username);
    if (!other) throw new AppError("not_found", `No user named ${username}`);
    const name = dmRoomName(user.username, other.username);
    const existing = await rooms.findRoom(name);
    if (existing) {
      roomCache.set(name, existing);
      return existing;
    }
    const people = new Map([
      [user.userId, user.username],
      [other.id, other.username],
    ]);
    const ids = [...people.keys()];
    const created =
      (await rooms.createRoom({ name, kind: "dm", private: true, createdById: user.userId }, ids)) ??
      (await rooms.findRoom(name)); // the other user opened it at the same moment
    if (!created) throw new AppError("internal", "Could not open the conversation");
    for (const [id, name] of people) added(created, id, name);
    return created;
  }

  return {
    readable,
    memberRoom,
    summary,

    /** The room a message goes to: `to` opens (or reuses) the DM; otherwise `room`, default general. */
    async target(user: Identity, input: { room?: string | undefined; to?: string | undefined }): Promise<string> {
      if (input.to) return (await dm(user, input.to)).name;
      // everyone is in general: the common case needs no lookup
      if (!input.room || input.room.toLowerCase() === DEFAULT_ROOM) return DEFAULT_ROOM;
      return (await memberRoom(user, input.room)).name;
    },

    async list(user: Identity): Promise<RoomSummary[]> {
      const mine = await rooms.roomsOf(user.userId);
      return Promise.all(mine.map((r) => summary(r, user, r.lastReadId)));
    },

    /** public rooms the user could join, with whether they already did */
    async directory(user: Identity): Promise<{ name: string; joined: boolean }[]> {
      const [all, mine] = await Promise.all([rooms.publicRooms(), rooms.roomsOf(user.userId)]);
      const joined = new Set(mine.map((r) => r.id));
      return all.map((r) => ({ name: r.name, joined: joined.has(r.id) }));
    },

    async create(user: Identity, input: { name: string; private?: boolean | undefined }): Promise<RoomSummary> {
      const room = await rooms.createRoom(
        { name: input.name, kind: "room", private: input.private ?? false, createdById: user.userId },
        [user.userId],
      );
      if (!room) throw new AppError("conflict", `A room named ${input.name} already exists`);
      added(room, user.userId, user.username);
      return summary(room, user, 0);
    },

    async join(user: Identity, name: string): Promise<{ room: RoomSummary; messages: Message[] }> {
      if (isDmRoom(name)) throw new AppError("not_found", `No room named ${name}`);
      const room = await rooms.findRoom(name);
      if (!room) throw new AppError("not_found", `No room named ${name}`);
      const member = await rooms.membership(room.id, user.userId);
      if (!member && room.private) throw new AppError("not_found", `No room named ${name}`);
      // joining starts with the history read: unread counts only what comes after (one read of the newest
      // id for both the stored marker and the answer, or a message between two reads would be skipped)
      const lastReadId = member ? member.lastReadId : await rooms.lastMessageId(room.name);
      if (!member) {
        await rooms.addMember(room.id, user.userId, lastReadId);
        added(room, user.userId, user.username);
      }
      return {
        room: await summary(room, user, lastReadId),
        messages: await messages.latestMessages(room.name, LIMITS.historyDefault),
      };
    },

    async leave(user: Identity, name: string): Promise<void> {
      const { room } = await readable(user, name);
      if (room.name === DEFAULT_ROOM) throw new AppError("forbidden", "Everyone stays in #general");
      if (room.kind === "dm") throw new AppError("forbidden", "Direct messages cannot be left");
      await rooms.removeMember(room.id, user.userId);
      events.emit("membership", { userId: user.userId, username: user.username, room: room.name, joined: false });
    },

    async invite(user: Identity, name: string, username: string): Promise<void> {
      const { room } = await readable(user, name);
      if (room.kind === "dm") throw new AppError("forbidden", "Direct messages are for two");
      const other = await users.findUserByName(username);
      if (!other) throw new AppError("not_found", `No user named ${username}`);
      if (await rooms.addMember(room.id, other.id, 0)) added(room, other.id, other.username);
    },

    async markRead(user: Identity, name: string, lastReadId: number): Promise<ReadMarker> {
      const { room } = await readable(user, name);
      // never past the newest message: a marker from the future would hide every message still to come
      const newest = await rooms.lastMessageId(room.name);
      const marker = await rooms.markRead(room.id, user.userId, Math.min(lastReadId, newest));
      // counted up to `newest` only, and said so: a message committed meanwhile may reach the client before
      // this answer, and the client counts it on top instead of losing it
      const unread = await rooms.unreadCount(room.name, user.userId, marker, newest);
      const mentions = await mentionCount(room, user.userId, unread, marker, newest);
      const result = { room: room.name, lastReadId: marker, unread, mentions, countedThrough: newest };
      events.emit("read", { userId: user.userId, ...result });
      return result;
    },

    async members(user: Identity, name: string): Promise<string[]> {
      const { room } = await readable(user, name);
      return rooms.memberNames(room.id);
    },

    /** names of every room the user is in (gap fill reads across them) */
    roomNames: (userId: number): Promise<string[]> => rooms.roomNamesOf(userId),

    summaryFor: async (user: Identity, name: string) => {
      const { room, lastReadId } = await readable(user, name);
      return summary(room, user, lastReadId);
    },
    memberIds: (roomId: number) => rooms.memberIds(roomId),

    /** The members of `room` that `content` mentions (`online` answers for @here); no lookup without an "@". */
    async mentionsIn(room: string, content: string, online: (userId: number) => boolean): Promise<Member[]> {
      const t = mentionTokens(content);
      if (!t.room && !t.here && t.names.size === 0) return [];
      const record = roomCache.get(room.toLowerCase()) ?? (await rooms.findRoom(room));
      if (!record) return [];
      return mentionedMembers(content, await rooms.members(record.id), online);
    },
    findRoom: (name: string) => rooms.findRoom(name),
  };
}
export type RoomService = ReturnType<typeof createRoomService>;
