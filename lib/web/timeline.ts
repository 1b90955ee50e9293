// The client's view of a room, as pure functions: history, gap fill and live messages merge by id, so a
// message seen twice is shown once and the order is always the server's commit order.
import { LIMITS, type Message } from "../protocol";

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
}

/** Outgoing entries whose message the server has confirmed (by ack or broadcast) are dropped. */
export function settleOutgoing<T extends Outgoing>(outgoing: readonly T[], confirmed: readonly Message[]): T[] {
  const ids = new Set(confirmed.map((m) => m.clientId).filter(Boolean));
  return ids.size === 0 ? (outgoing as T[]) : outgoing.filter((o) => !ids.has(o.clientId));
}
