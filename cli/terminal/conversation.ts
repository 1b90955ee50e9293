// The room or DM on screen: entering it (a header, then its latest messages merged with live ones that came
// while they loaded), its live messages, marking it read (`room:read`, once per burst) and /more.
// Messages of other rooms only count (see notices.ts). Printed messages carry a number (shown.ts); a later
// change to one of them is announced in one line (changes.ts), not reprinted.
import type { Message } from "../../lib/protocol";
import { ApiError } from "../api";
import { formatChange } from "../changes";
import { dayKey, dayLine } from "../dates";
import { formatMessage, messageIndent, ringsBell } from "../render";
import { generalView, roomKey, sameRoom, viewLabel, type RoomEntry, type View } from "../rooms";
import { reasonOf, type TerminalChat } from "./context";
import { NewMessageNotices } from "./notices";
import { ShownMessages } from "./shown";

/** live messages in the current room are marked read after this pause */
const READ_DELAY_MS = 500;
/** how many messages entering a room shows: its unread ones and a few before, within these bounds */
const SHOW_MIN = 15;
const SHOW_MAX = 50;
/** messages per /more */
const MORE_PAGE = 25;

export class Conversation {
  private current: View = generalView();
  /** live messages of the room being entered, held while its history loads */
  private entering: Message[] | null = null;
  /** the oldest message shown of the current conversation: where /more goes on from */
  private oldestShown: number | undefined;
  /** which `enter` is the latest: an earlier one's history, loaded late, is dropped */
  private enterSeq = 0;
  /** rooms shown up to some id whose room:read is about to go out (one per burst of messages) */
  private readonly readSoon = new Map<string, { upTo: number; timer: NodeJS.Timeout }>();
  private readonly notices: NewMessageNotices;
  /** every message printed, by number: what /edit, /delete, /react and /reply name */
  readonly shown = new ShownMessages();
  /** changes that came while the room on screen was being entered: announced once it is printed */
  private changedMeanwhile: Message[] = [];
  /** the local day of the last message printed (dates.ts dayKey): a new day gets a date line first */
  private lastDay: string | null = null;

  constructor(private readonly chat: TerminalChat) {
    this.notices = new NewMessageNotices(chat);
  }

  get view(): View {
    return this.current;
  }

  /** Go to a room or DM: a header, its latest messages (given, or loaded), then it is marked read. */
  enter(next: View, history?: Message[]): void {
    const seq = ++this.enterSeq;
    this.current = next;
    this.oldestShown = undefined;
    this.entering = null; // anything held for a room being entered before belongs to that room
    this.changedMeanwhile = [];
    this.lastDay = null;
    this.chat.typing.viewChanged();
    const entry = this.chat.book.get(next.name);
    this.chat.screen.info(this.header(next, entry));
    const limit = Math.min(SHOW_MAX, Math.max(SHOW_MIN, (entry?.unread ?? 0) + 5));
    const done = (messages: Message[]) => {
      if (seq === this.enterSeq) this.showEntered(next, limit, messages);
    };
    this.chat.screen.refreshPrompt();
    if (history) return done(history);
    this.entering = [];
    this.chat.session.page(next.name, { limit }).then(done, (err: unknown) => {
      if (seq !== this.enterSeq) return;
      // a DM that has no message yet does not exist yet
      if (!(err instanceof ApiError && err.status === 404 && next.kind === "dm")) {
        this.chat.screen.warn(`! could not load the messages of ${viewLabel(next)}: ${reasonOf(err)}`);
      }
      done([]);
    });
  }

  /** Messages from the session: shown if they belong here, else counted (and maybe noticed). */
  received(messages: readonly Message[]): void {
    let here = false;
    for (const m of messages) {
      this.chat.typing.messageArrived(m);
      if (ringsBell(m, this.chat.me, this.chat.bell)) this.chat.screen.bell();
      const counted = this.chat.book.onMessage(m, this.current.name);
      if (sameRoom(m.room, this.current.name)) {
        here = true;
        if (this.entering) this.entering.push(m);
        else {
          this.show(m);
          this.oldestShown ??= m.id;
        }
      } else if (counted && this.chat.book.get(m.room)?.unread === 1) {
        this.notices.queue(m.room);
      }
    }
    if (here) this.markRead();
    this.chat.screen.refreshPrompt();
  }

  /**
   * Newer states of messages (edited, deleted, reactions), ascending by seq. Those printed in the room on
   * screen get a line saying what changed; the others (other rooms, never printed) are only remembered, or
   * ignored: entering a room prints its messages as they are now.
   */
  updated(messages: readonly Message[]): void {
    const { screen, me } = this.chat;
    for (const m of messages) {
      if (this.entering && sameRoom(m.room, this.current.name)) {
        this.changedMeanwhile.push(m);
        continue;
      }
      const before = this.shown.update(m);
      if (!before || !sameRoom(m.room, this.current.name)) continue;
      const line = formatChange(before.message, m, { number: before.number, self: me });
      if (line) screen.info(line);
    }
  }

  /** The current room is on screen: mark it read up to its newest message (soon, once per burst). */
  markRead(delayMs = READ_DELAY_MS): void {
    const { book, session, timers } = this.chat;
    const entry = book.get(this.current.name);
    if (!entry) return; // a DM not started yet
    book.readLocally(entry.name);
    const { name } = entry;
    const key = roomKey(name);
    const pending = this.readSoon.get(key);
    timers.cancel(pending?.timer);
    // what was shown: a later switch away does not make newer messages of this room read
    const upTo = Math.max(entry.lastMessageId, pending?.upTo ?? 0);
    const timer = timers.later(delayMs, () => {
      this.readSoon.delete(key);
      const known = book.get(name);
      if (!known || upTo <= known.lastReadId || !session.connected) return;
      session.markRead(name, upTo).then(
        ({ unread, mentions, countedThrough }) => {
          book.onRead({ room: name, lastReadId: upTo, unread, mentions, countedThrough });
          this.chat.screen.refreshPrompt();
        },
        () => undefined, // tried again with the next message or visit
      );
    });
    this.readSoon.set(key, { upTo, timer });
  }

  /**
   * /more: the page before the oldest message shown, printed below between two labelled rules (the newer ones
   * are above them), so that it reads in order.
   */
  async more(): Promise<void> {
    const { screen, session } = this.chat;
    const here = this.current;
    const before = this.oldestShown;
    if (this.entering) return screen.info("(still loading this conversation: try again in a moment)");
    if (before === undefined) return screen.info("(nothing earlier)");
    const page = await session.page(here.name, { limit: MORE_PAGE, before });
    if (this.current !== here || this.oldestShown !== before) return; // moved on, or asked twice
    const first = page[0];
    if (!first) return screen.info(`── no older messages: the beginning of ${viewLabel(here)} is above ──`);
    session.markSeen(page);
    this.oldestShown = first.id;
    // a block of its own, oldest first, that starts its own day lines
    screen.info(`── older messages in ${viewLabel(here)}: ${page.length}, oldest first ──`);
    this.lastDay = null;
    for (const m of page) this.show(m);
    screen.info(
      page.length < MORE_PAGE
        ? `── end of older messages: this is the beginning of ${viewLabel(here)} ──`
        : "── end of older messages: /more for the ones before ──",
    );
    this.lastDay = null;
    screen.refreshPrompt();
  }

  /** `── #ops (private) ──`, `── @bob (online) ──` */
  private header(next: View, entry: RoomEntry | undefined): string {
    const notes: string[] = [];
    if (next.kind === "room" && entry?.private) notes.push("private");
    if (next.kind === "dm") {
      const online = this.chat.presence.get(next.peer);
      if (online !== undefined) notes.push(online ? "online" : "offline");
    }
    return `── ${viewLabel(next)}${notes.length > 0 ? ` (${notes.join(", ")})` : ""} ──`;
  }

  /** The room's history is in: show it with the live messages held meanwhile, in id order, once each. */
  private showEntered(next: View, limit: number, messages: Message[]): void {
    const { book, screen, session } = this.chat;
    session.markSeen(messages);
    const byId = new Map<number, Message>();
    for (const m of [...messages.slice(-limit), ...(this.entering ?? [])]) {
      const seen = byId.get(m.id);
      if (!seen || m.seq > seen.seq) byId.set(m.id, m);
    }
    this.entering = null;
    const all = [...byId.values()].sort((a, b) => a.id - b.id);
    for (const m of all) book.onMessage(m, this.current.name);
    if (all.length === 0) {
      screen.info(
        next.kind === "dm" ? "(no messages yet: the first one starts the conversation)" : "(no messages yet)",
      );
    }
    for (const m of all) this.show(m);
    this.oldestShown = all[0]?.id;
    this.updated(this.changedMeanwhile.splice(0));
    this.markRead(0);
    screen.refreshPrompt();
  }

  /**
   * Print a message with its number (and its newest state known: a page may be older than an update), after
   * a date line when its day is not the last one printed.
   */
  private show(m: Message): void {
    const { screen, me } = this.chat;
    const { number, message } = this.shown.print(m);
    const now = new Date();
    const day = dayKey(message.timestamp);
    if (day !== this.lastDay) screen.info(dayLine(message.timestamp, now));
    this.lastDay = day;
    const replyNumber = message.replyTo ? this.shown.numberOf(message.replyTo.id) : undefined;
    const options = {
      color: screen.color,
      self: me,
      hideRoom: true,
      number,
      now,
      baseUrl: this.chat.serverUrl,
      columns: screen.columns,
    };
    const shown = replyNumber === undefined ? options : { ...options, replyNumber };
    screen.print(formatMessage(message, shown), messageIndent(message, shown));
  }
}
