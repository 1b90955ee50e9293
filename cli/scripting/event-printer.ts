// What `tail --follow` prints for each message it gets: a message once, then each later state of it as an
// edit, a delete or a reaction change (copies of a state already printed are dropped). A change to a message
// never printed (changed while the follower was away, or older than what it printed) says what its state shows.
import type { Message } from "../../lib/protocol";
import type { EventType } from "./records";

const KEPT = 20_000;

/** Prints each message once, then each change to it as an edit, delete or reaction event. */
export class EventPrinter {
  private readonly shown = new Map<number, Message>();

  constructor(private readonly print: (type: EventType, m: Message) => void) {}

  /** `kind` says how it came: a new message, or a changed one (maybe never shown: changed while away). */
  show(m: Message, kind: "new" | "change"): void {
    const before = this.shown.get(m.id);
    if (before && m.seq <= before.seq) return; // a copy of what was printed
    const type = before ? changeType(before, m) : kind === "new" ? (m.deleted ? null : "message") : unseenChange(m);
    this.remember(m);
    if (type) this.print(type, m);
  }

  private remember(m: Message): void {
    this.shown.delete(m.id);
    this.shown.set(m.id, m);
    if (this.shown.size > KEPT) this.shown.delete(this.shown.keys().next().value ?? m.id);
  }
}

export function changeType(before: Message, after: Message): EventType | null {
  if (after.deleted) return before.deleted ? null : "delete";
  if (after.content !== before.content || after.editedAt !== before.editedAt) return "edit";
  return JSON.stringify(after.reactions) === JSON.stringify(before.reactions) ? null : "reaction";
}

/** A change to a message not printed here: what its state says. */
const unseenChange = (m: Message): EventType => (m.deleted ? "delete" : m.editedAt ? "edit" : "reaction");
