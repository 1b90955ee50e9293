// The messages this screen has printed, each with its number and the last state printed or announced.
// Numbers come from one counter for the whole run and stay with their message (printed again on coming back
// to a room, it keeps its number), so a number seen anywhere in the scrollback always means the same message.
import type { Message } from "../../lib/protocol";
import { sameRoom } from "../rooms";

export interface ShownMessage {
  number: number;
  /** the newest state this screen knows (what was printed, or announced since) */
  message: Message;
}

export class ShownMessages {
  private readonly byId = new Map<number, ShownMessage>();
  private readonly byNumber = new Map<number, ShownMessage>();
  private next = 1;

  /**
   * About to print `m`: the state to print (what is known, if newer than `m`: a page can be older than an
   * update already seen) and its number, given now if it has none yet.
   */
  print(m: Message): ShownMessage {
    const known = this.byId.get(m.id);
    if (known) {
      if (m.seq > known.message.seq) known.message = m;
      return known;
    }
    const shown = { number: this.next++, message: m };
    this.byId.set(m.id, shown);
    this.byNumber.set(shown.number, shown);
    return shown;
  }

  /** A newer state of a printed message: the one it replaces, or undefined if never printed or not newer. */
  update(m: Message): ShownMessage | undefined {
    const known = this.byId.get(m.id);
    if (!known || m.seq <= known.message.seq) return undefined;
    const before = { ...known };
    known.message = m;
    return before;
  }

  numberOf(id: number): number | undefined {
    return this.byId.get(id)?.number;
  }

  get(number: number): ShownMessage | undefined {
    return this.byNumber.get(number);
  }

  /** The user's latest message (by id) printed in `room`, not deleted: what /edit and /delete default to. */
  lastOwn(room: string, me: string): ShownMessage | undefined {
    let last: ShownMessage | undefined;
    for (const shown of this.byId.values()) {
      const m = shown.message;
      if (m.deleted || m.username.toLowerCase() !== me.toLowerCase() || !sameRoom(m.room, room)) continue;
      if (!last || m.id > last.message.id) last = shown;
    }
    return last;
  }
}
