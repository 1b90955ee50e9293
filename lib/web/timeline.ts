// The client's view of a room, as pure functions: history, gap fill and live messages merge by id, so a
// message seen twice is shown once and the order is always the server's commit order.
import { LIMITS, type FileInfo, type Message } from "../protocol";

export function mergeMessages(current: readonly Message[], incoming: readonly Message[]): Message[] {
  if (incoming.length === 0) return current as Message[];
  const last = current.at(-1);
  // fast path: live messages arrive in order after everything we have
  if (last && incoming.every((m, i) => m.id > (i === 0 ? last.id : incoming[i - 1]!.id))) {
    return [...current, ...incoming];
  }
  const byId = new Map<number, Message>();
  for (const m of current) byId.set(m.id, m);
  // the newest state of each message wins: a page fetched before an edit must not undo it
  for (const m of incoming) if (m.seq >= (byId.get(m.id)?.seq ?? -1)) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/**
 * Applies newer states of messages (edits, deletions, reactions) to a timeline: each held message is
 * replaced by its newer state, and replies quoting a changed parent show its new content. Messages not held
 * are not added (a change to something never loaded is not news).
 */
export function applyChanges(current: readonly Message[], changes: readonly Message[]): Message[] {
  const newer = new Map<number, Message>();
  for (const m of changes) if (m.seq > (newer.get(m.id)?.seq ?? -1)) newer.set(m.id, m);
  let touched = false;
  const next = current.map((m) => {
    const changed = newer.get(m.id);
    const parent = m.replyTo ? newer.get(m.replyTo.id) : undefined;
    if ((!changed || changed.seq <= m.seq) && !parent) return m;
    touched = true;
    const base = changed && changed.seq > m.seq ? changed : m;
    if (!parent || !base.replyTo) return base;
    const quote = parent.deleted ? "" : [...parent.content].slice(0, LIMITS.replyQuoteMax).join("");
    return { ...base, replyTo: { ...base.replyTo, content: quote } };
  });
  return touched ? next : (current as Message[]);
}

export function lastId(messages: readonly Message[]): number | undefined {
  return messages.at(-1)?.id;
}

export type OutgoingState = "sending" | "failed";

/** An own message not yet acknowledged; clientId stays the same across retries so it is stored once. */
export interface Outgoing {
  clientId: string;
  content: string;
  state: OutgoingState;
  error?: string | undefined;
  /** uploaded files it carries */
  files?: FileInfo[] | undefined;
}

/** Outgoing entries whose message the server has confirmed (by ack or broadcast) are dropped. */
export function settleOutgoing<T extends Outgoing>(outgoing: readonly T[], confirmed: readonly Message[]): T[] {
  const ids = new Set(confirmed.map((m) => m.clientId).filter(Boolean));
  return ids.size === 0 ? (outgoing as T[]) : outgoing.filter((o) => !ids.has(o.clientId));
}

// ---- the loaded window ----------------------------------------------------------------------------------
// A timeline holds one contiguous run of a room's messages. Usually it reaches the live end, and live
// messages are appended. A jump far back (to a reply's parent, a link) loads the page around that message
// instead: the run then ends before the live end, and what lies between is not held. Live messages that
// arrive meanwhile are kept `ahead` (a run of its own that does reach the live end), not shown, until pages
// loaded forward reach them; so nothing is shown out of order and nothing live is lost.

export interface LoadedWindow {
  /** contiguous: no message of the room between the first and the last is missing */
  messages: Message[];
  /** null: `messages` reaches the live end. Else newer messages may exist; these reach the live end. */
  ahead: Message[] | null;
}

/** Joins `ahead` onto the run once the two meet (or overlap): the window then reaches the live end. */
function join(w: LoadedWindow): LoadedWindow {
  if (w.ahead === null) return w;
  const last = lastId(w.messages);
  const first = w.ahead[0]?.id;
  if (last === undefined || first === undefined || first > last) return w;
  return { messages: mergeMessages(w.messages, w.ahead), ahead: null };
}

/** Live messages: appended to a window at the live end; past a window that is not, held ahead. */
export function receiveInto(w: LoadedWindow, incoming: readonly Message[]): LoadedWindow {
  if (w.ahead === null) return { messages: mergeMessages(w.messages, incoming), ahead: null };
  const last = lastId(w.messages) ?? 0;
  const inside = incoming.filter((m) => m.id <= last);
  const past = incoming.filter((m) => m.id > last);
  return { messages: mergeMessages(w.messages, inside), ahead: mergeMessages(w.ahead, past) };
}

/**
 * The page around a message: merged when it meets the run, else it becomes the run, and what was held newer
 * than it (when that reached the live end) is kept ahead.
 */
export function placeAround(w: LoadedWindow, page: readonly Message[]): LoadedWindow {
  const pageFirst = page[0]?.id;
  const pageLast = lastId(page);
  if (pageFirst === undefined || pageLast === undefined) return w;
  const first = w.messages[0]?.id;
  const last = lastId(w.messages);
  if (first !== undefined && last !== undefined && pageFirst <= last && pageLast >= first) {
    return join({ messages: mergeMessages(w.messages, page), ahead: w.ahead });
  }
  // held runs that reach the live end stay ahead of the page; a run that does not is dropped
  const ahead = (w.ahead ?? w.messages).filter((m) => m.id > pageLast);
  return join({ messages: [...page], ahead });
}

/** A page loaded forward (after the last held): a short one reached the live end. */
export function extendNewer(w: LoadedWindow, page: readonly Message[], limit: number): LoadedWindow {
  const messages = mergeMessages(w.messages, page);
  if (w.ahead === null) return { messages, ahead: null };
  if (page.length < limit) return { messages: mergeMessages(messages, w.ahead), ahead: null };
  return join({ messages, ahead: w.ahead });
}

/** The latest page: a window off the live end is replaced by it (and what came live since). */
export function placeLatest(w: LoadedWindow, page: readonly Message[]): LoadedWindow {
  if (w.ahead === null) return { messages: mergeMessages(w.messages, page), ahead: null };
  return { messages: mergeMessages([...page], w.ahead), ahead: null };
}
