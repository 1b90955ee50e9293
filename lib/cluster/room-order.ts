// One order per room on every socket, scaled out. Ids grow in commit order across processes, but a process
// hears its own new messages at once and the others' a little later, through Redis: a socket here could get
// id 105 (stored here) before 104 (stored elsewhere a moment earlier), and a client's cursor would then
// skip 104 for good. So each room's new messages pass through here, one at a time: before a message goes
// out, whatever the room stored after the last one that went out and before it is read from the database
// and goes out first (every id below a committed one is committed too); a message that went out that way
// is dropped when its own event arrives. Redis losing an event is healed the same way by the room's next
// message.
import { LIMITS, type Message } from "../protocol";

export interface RoomOrderDeps {
  /** the room's messages after `afterId`, oldest first (DataLayer messagesAfter) */
  messagesAfter(room: string, afterId: number, limit: number): Promise<Message[]>;
  deliver(message: Message): void;
  onError(err: unknown): void;
}

export function createRoomOrder(deps: RoomOrderDeps) {
  const rooms = new Map<string, { last?: number; queue: Promise<void> }>();

  async function pass(room: { last?: number }, m: Message): Promise<void> {
    if (room.last !== undefined && m.id <= room.last) return; // it went out already, read as a gap
    if (room.last !== undefined) {
      for (const missed of await deps.messagesAfter(m.room, room.last, LIMITS.pageMax)) {
        if (missed.id >= m.id) break;
        deps.deliver(missed);
      }
    }
    deps.deliver(m);
    room.last = m.id;
  }

  return (m: Message): void => {
    const key = m.room.toLowerCase();
    const room = rooms.get(key) ?? { queue: Promise.resolve() };
    rooms.set(key, room);
    room.queue = room.queue.then(() => pass(room, m)).catch((err: unknown) => deps.onError(err));
  };
}
