// Typing notifications, both ways: who else is typing in the room on screen (a status line above the
// prompt, each report lasting ~3 s unless renewed), and `typing` sent for the user's own keystrokes, at
// most every 2 s per room.
import type { Message } from "../../lib/protocol";
import { roomKey, sameRoom } from "../rooms";
import { sanitizeInline } from "../sanitize";
import type { TerminalChat } from "./context";

/** how long a "… is typing" report lasts without being renewed */
const TYPING_TTL_MS = 3_000;
/** at most one `typing` event per room this often */
const TYPING_INTERVAL_MS = 2_000;

/** Who is typing where; each report lasts `ttlMs` unless renewed. */
export class TypingTracker {
  private readonly until = new Map<string, Map<string, { name: string; until: number }>>();

  constructor(private readonly ttlMs = 3_000) {}

  add(room: string, username: string, now: number): void {
    const key = roomKey(room);
    const people = this.until.get(key) ?? new Map<string, { name: string; until: number }>();
    people.set(username.toLowerCase(), { name: username, until: now + this.ttlMs });
    this.until.set(key, people);
  }

  /** Their message arrived: they stopped typing it. */
  clear(room: string, username: string): void {
    this.until.get(roomKey(room))?.delete(username.toLowerCase());
  }

  /** Who is typing in `room` at `now`, in the order they started. */
  names(room: string, now: number): string[] {
    const people = this.until.get(roomKey(room));
    if (!people) return [];
    for (const [key, p] of people) if (p.until <= now) people.delete(key);
    return [...people.values()].map((p) => p.name);
  }

  /** When the next report in `room` runs out, if any is live. */
  nextExpiry(room: string, now: number): number | undefined {
    const times = [...(this.until.get(roomKey(room))?.values() ?? [])].map((p) => p.until).filter((t) => t > now);
    return times.length > 0 ? Math.min(...times) : undefined;
  }
}

/** "alice is typing…", "alice and bob are typing…", "alice, bob and carol are typing…", "4 people are typing…" */
export function formatTyping(names: readonly string[]): string {
  const safe = names.map(sanitizeInline);
  if (safe.length === 0) return "";
  if (safe.length === 1) return `${safe[0]} is typing…`;
  if (safe.length === 2) return `${safe[0]} and ${safe[1]} are typing…`;
  if (safe.length === 3) return `${safe[0]}, ${safe[1]} and ${safe[2]} are typing…`;
  return `${safe.length} people are typing…`;
}

/** At most one `typing` per room every `intervalMs`. */
export class TypingThrottle {
  private last: { room: string; at: number } | undefined;

  constructor(private readonly intervalMs = 2_000) {}

  shouldSend(room: string, now: number): boolean {
    if (this.last && sameRoom(this.last.room, room) && now - this.last.at < this.intervalMs) return false;
    this.last = { room, at: now };
    return true;
  }

  /** A message was sent: the next keystroke may announce typing again straight away. */
  reset(): void {
    this.last = undefined;
  }
}

/** The chat screen's side of typing: reports from others for the prompt, and the user's own keystrokes. */
export class Typing {
  private readonly others = new TypingTracker(TYPING_TTL_MS);
  private readonly own = new TypingThrottle(TYPING_INTERVAL_MS);
  private expiry: NodeJS.Timeout | undefined;

  constructor(private readonly chat: TerminalChat) {}

  /** "alice is typing…" for `room`, or empty. */
  status(room: string): string {
    return formatTyping(this.others.names(room, Date.now()));
  }

  /** A `typing` report from the server. */
  reported({ room, username }: { room: string; username: string }): void {
    if (username.toLowerCase() === this.chat.me.toLowerCase()) return;
    this.others.add(room, username, Date.now());
    if (!sameRoom(room, this.chat.conversation.view.name)) return;
    this.chat.screen.refreshPrompt();
    this.scheduleExpiry();
  }

  /** Their message arrived: they stopped typing it. */
  messageArrived(message: Message): void {
    this.others.clear(message.room, message.username);
  }

  /** A keystroke changed the input line: tell the room, unless it is a /command or nothing yet. */
  keystroke(line: string): void {
    if (line.trim() === "" || line.trimStart().startsWith("/")) return;
    const entry = this.chat.book.get(this.chat.conversation.view.name);
    if (!entry) return; // a DM without messages has no room yet: nobody to tell
    if (this.own.shouldSend(entry.name, Date.now())) this.chat.session.typing(entry.name);
  }

  /** A message was sent: the next keystroke may announce typing again straight away. */
  sent(): void {
    this.own.reset();
  }

  /** Another room is on screen: its own typing reports count from now on. */
  viewChanged(): void {
    this.own.reset();
    this.chat.timers.cancel(this.expiry);
  }

  /** Redraw when the next "… is typing" in the current room runs out. */
  private scheduleExpiry(): void {
    this.chat.timers.cancel(this.expiry);
    const next = this.others.nextExpiry(this.chat.conversation.view.name, Date.now());
    if (next === undefined) return;
    this.expiry = this.chat.timers.later(next - Date.now() + 20, () => {
      this.chat.screen.refreshPrompt();
      this.scheduleExpiry();
    });
  }
}
