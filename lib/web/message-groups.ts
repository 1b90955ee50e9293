// The message list as rows: day separators, the "New messages" line, and messages grouped under one header
// per run of one author (as Slack and Mattermost do). Pure, so the grouping rules are unit-tested.
import type { Message } from "../protocol";
import { calendarDay } from "./day-label";

/** consecutive messages of one author closer than this share one header */
export const GROUP_WINDOW_MS = 5 * 60 * 1000;

export type Row =
  | { kind: "day"; key: string; day: number; date: Date }
  | { kind: "new"; key: string }
  /** head: the first of a run, shown with avatar, name and time; the others show only their text */
  | { kind: "message"; key: string; message: Message; head: boolean };

/** Where the "New messages" line goes: what the reader had read on entering, and the newest id then. */
export interface UnreadMarker {
  readUpTo: number;
  newestAtEntry: number;
}

export interface RowOptions {
  me: string;
  unread: UnreadMarker | null;
  timeZone?: string | undefined;
}

const sameUser = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The id the "New messages" line goes above: the first message from someone else the reader had not read. */
export function firstUnreadId(messages: readonly Message[], me: string, unread: UnreadMarker | null): number | null {
  if (!unread) return null;
  const first = messages.find(
    (m) => m.id > unread.readUpTo && m.id <= unread.newestAtEntry && (!sameUser(m.username, me) || Boolean(m.bot)),
  );
  return first?.id ?? null;
}

/**
 * Whether `m` continues `prev`'s group: same author (and the same bot, for webhooks), same day, within the window. A reply starts a group
 * (its quote needs the author's name beside it), and so does whatever follows a deleted message (a tombstone
 * heads nothing: the next live message would otherwise lose its header).
 */
export function continues(prev: Message | undefined, m: Message, timeZone?: string): boolean {
  if (!prev || prev.deleted || m.replyTo) return false;
  if (!sameUser(prev.username, m.username)) return false;
  // a webhook's posts never join their maker's own (nor another bot name's): each shows its own header
  if (prev.bot?.name !== m.bot?.name || prev.bot?.iconUrl !== m.bot?.iconUrl) return false;
  const gap = Date.parse(m.timestamp) - Date.parse(prev.timestamp);
  if (gap < 0 || gap >= GROUP_WINDOW_MS) return false;
  return calendarDay(new Date(prev.timestamp), timeZone) === calendarDay(new Date(m.timestamp), timeZone);
}

export function buildRows(messages: readonly Message[], { me, unread, timeZone }: RowOptions): Row[] {
  const rows: Row[] = [];
  const newAt = firstUnreadId(messages, me, unread);
  let prev: Message | undefined;
  let prevDay: number | null = null;
  for (const m of messages) {
    const date = new Date(m.timestamp);
    const day = calendarDay(date, timeZone);
    let broken = false;
    if (day !== prevDay) {
      rows.push({ kind: "day", key: `day-${day}`, day, date });
      prevDay = day;
      broken = true;
    }
    if (m.id === newAt) {
      rows.push({ kind: "new", key: "new-messages" });
      broken = true;
    }
    rows.push({ kind: "message", key: `m${m.id}`, message: m, head: broken || !continues(prev, m, timeZone) });
    prev = m;
  }
  return rows;
}

/** Whether an own message on its way (shown after the stored ones, as now) continues the last group. */
export function outgoingContinues(last: Message | undefined, me: string, now: number): boolean {
  if (!last || last.deleted || !sameUser(last.username, me)) return false;
  const at = Date.parse(last.timestamp);
  // `now` ticks each minute: a message stored since its last tick is newer than it, and this one newer still
  // (taken as later than `now`, it headed a run of its own until its ack turned it into a later line)
  const sent = Math.max(now, at);
  return sent - at < GROUP_WINDOW_MS && calendarDay(new Date(at)) === calendarDay(new Date(sent));
}
