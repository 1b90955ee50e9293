// "* bob edited [3]: new text…": a message printed earlier changed (edited, deleted, reactions). The screen
// does not reprint it; it says in one short line what differs between the state it printed and the new one.
import type { Message } from "../lib/protocol";
import { authorLabel, formatReactions, quote } from "./render";
import { sanitizeInline } from "./sanitize";

export interface ChangeOptions {
  /** the message's number on screen */
  number: number;
  /** the user's own name: their doings read "you …" */
  self?: string;
}

/** One reaction added or taken back. */
interface ReactionChange {
  user: string;
  emoji: string;
  added: boolean;
}

/** The line announcing how `after` differs from `before` (the state printed), or null if nothing shows. */
export function formatChange(before: Message, after: Message, options: ChangeOptions): string | null {
  const ref = `[${options.number}]`;
  const who = (user: string) => (sameUser(user, options.self) ? "you" : sanitizeInline(user));
  if (after.deleted) {
    if (before.deleted) return null;
    // a webhook's post is its bot's, even when this user made the hook
    if (after.bot) return `* ${ref} by ${authorLabel(after)} was deleted`;
    return sameUser(after.username, options.self)
      ? `* your ${ref} was deleted`
      : `* ${ref} by ${who(after.username)} was deleted`;
  }
  const clauses: string[] = [];
  const edited = after.content !== before.content || after.editedAt !== before.editedAt;
  if (edited) clauses.push(`${who(after.username)} edited ${ref}: ${quote(after.content)}`);
  const reactions = reactionClause(before, after, ref, who);
  if (reactions) clauses.push(reactions);
  return clauses.length > 0 ? `* ${clauses.join("; ")}` : null;
}

/** `carol reacted 👍 to [3]`, `reactions on [3]: +👍 carol, −🎉 dave`, or null when they are the same. */
function reactionClause(before: Message, after: Message, ref: string, who: (user: string) => string): string | null {
  const changes = reactionChanges(before, after);
  const [only] = changes;
  if (only && changes.length === 1) {
    const emoji = sanitizeInline(only.emoji);
    return only.added
      ? `${who(only.user)} reacted ${emoji} to ${ref}`
      : `${who(only.user)} took back ${emoji} on ${ref}`;
  }
  if (changes.length > 1) {
    const list = changes.map((c) => `${c.added ? "+" : "−"}${sanitizeInline(c.emoji)} ${who(c.user)}`);
    return `reactions on ${ref}: ${list.join(", ")}`;
  }
  // the counts moved but the names did not tell who (they should): show the tally
  const tally = (m: Message) => formatReactions(m.reactions);
  return tally(before) === tally(after) ? null : `reactions on ${ref}: ${tally(after)}`;
}

/** Who added or removed which emoji, additions first. */
function reactionChanges(before: Message, after: Message): ReactionChange[] {
  const pairs = (m: Message) => new Set(m.reactions.flatMap((r) => r.users.map((u) => JSON.stringify([u, r.emoji]))));
  const was = pairs(before);
  const now = pairs(after);
  const list = (from: Set<string>, without: Set<string>, added: boolean) =>
    [...from]
      .filter((key) => !without.has(key))
      .map((key) => {
        const [user = "", emoji = ""] = JSON.parse(key) as string[];
        return { user, emoji, added };
      });
  return [...list(now, was, true), ...list(was, now, false)];
}

function sameUser(a: string, b: string | undefined): boolean {
  return b !== undefined && a.toLowerCase() === b.toLowerCase();
}
