// One order per room on every socket, scaled out. Ids grow in commit order across processes, but a process
// hears its own new messages at once and the others' a little later, through Redis: a socket here could get
// id 105 (stored here) before 104 (stored elsewhere a moment earlier), and a client's cursor would then
// skip 104 for good. So each room's new messages pass through here: before a message goes out, whatever
// the room stored after the last one that went out and before it is read from the database and goes out
// first (every id below a committed one is committed too); a message that went out that way is dropped
// when its own event arrives. The check reads ids only, and whole rows only when one is missing: usually
// nothing is (a page read per message, with its authors, reactions and files, was most of a cluster
// process's CPU in the bench). Messages heard while a read is under way go out together after one more
// read. Redis losing an event is healed the same way by the room's next message. The first message heard
// in a room (after a start) looks back for what the room stored since the start, which may still be on its
// way; a client may then get a message it had in its history again, which it drops by id.
import { LIMITS, type Message } from "../protocol";

export interface RoomOrderDeps {
  /** the room's messages after `afterId`, oldest first (DataLayer messagesAfter) */
  messagesAfter(room: string, afterId: number, limit: number): Promise<Message[]>;
  /** the ids of the room's messages after `afterId` up to `upToId`, ascending (DataLayer messageIdsBetween) */
  messageIdsBetween(room: string, afterId: number, upToId: number, limit: number): Promise<number[]>;
  /** the room's `limit` messages just before `beforeId`, oldest first (DataLayer messagesBefore) */
  messagesBefore(room: string, beforeId: number, limit: number): Promise<Message[]>;
  /** when this process started (ms): its clients had, in their history, whatever was stored before */
  startedAt: number;
  deliver(message: Message): void;
  onError(err: unknown): void;
}

/** clocks of the processes may differ this much: what was stored this long before the start is resent too */
const CLOCK_MARGIN_MS = 5000;
/** how far back the first message heard in a room looks for what was stored since the start */
const LOOK_BACK = 50;

interface RoomState {
  /** the newest id that went out */
  last?: number;
  /** new messages heard and not yet sent out */
  pending: Message[];
  draining: boolean;
}

export function createRoomOrder(deps: RoomOrderDeps) {
  const rooms = new Map<string, RoomState>();

  /**
   * The first time a room is heard of, nothing of it went out from here yet: what it stored since this
   * process started (as far as its clients may not have it) is where to start from. The id before that.
   */
  async function startingPoint(first: Message): Promise<number> {
    const earlier = await deps.messagesBefore(first.room, first.id, LOOK_BACK);
    const before = earlier.filter((m) => Date.parse(m.timestamp) < deps.startedAt - CLOCK_MARGIN_MS).at(-1);
    return before?.id ?? (earlier[0] ? earlier[0].id - 1 : 0);
  }

  /** what the room stored after `after` up to `newest` and was not heard (yet), into `out` */
  async function addGaps(out: Map<number, Message>, newest: Message, after: number): Promise<void> {
    for (const stored of await deps.messagesAfter(newest.room, after, LIMITS.pageMax)) {
      if (stored.id > newest.id) break;
      if (!out.has(stored.id)) out.set(stored.id, stored);
    }
  }

  /** one batch: what was heard, with what the room stored in between (one read however many were heard) */
  async function pass(room: RoomState): Promise<void> {
    // a message that went out already was read as a gap: drop it
    const heard = room.pending
      .splice(0)
      .filter((m) => room.last === undefined || m.id > room.last)
      .sort((x, y) => x.id - y.id);
    const newest = heard.at(-1);
    if (!newest) return;
    const out = new Map(heard.map((m) => [m.id, m]));
    try {
      const after = room.last ?? (await startingPoint(heard[0]!));
      const ids = await deps.messageIdsBetween(newest.room, after, newest.id, LIMITS.pageMax);
      if (ids.some((id) => !out.has(id))) await addGaps(out, newest, after);
    } catch (err) {
      deps.onError(err); // what was heard still goes out, in order; a gap waits for the client's next catch-up
    }
    for (const m of [...out.values()].sort((x, y) => x.id - y.id)) {
      deps.deliver(m);
      room.last = m.id;
    }
  }

  async function drain(room: RoomState): Promise<void> {
    room.draining = true;
    try {
      while (room.pending.length > 0) await pass(room).catch((err: unknown) => deps.onError(err));
    } finally {
      room.draining = false;
    }
  }

  return (m: Message): void => {
    const key = m.room.toLowerCase();
    const room = rooms.get(key) ?? { pending: [], draining: false };
    rooms.set(key, room);
    room.pending.push(m);
    if (!room.draining) void drain(room);
  };
}
