// Message rows as better-sqlite3 returns them (the writer and the prepared reads share this shape), and how a
// row and its reactions become a wire Message.
import { LIMITS, type Message, type Reaction } from "../protocol";

/** The columns of a message read on its own (an INSERT … RETURNING cannot join). */
export const MESSAGE_COLUMNS = `"id", "userId", "username", "content", "createdAt", "room", "clientId", "seq", "editedAt", "deleted", "replyToId"`;

/**
 * A message with its parent's quote: `FROM ${MESSAGE_FROM}` then `SELECT ${JOINED_COLUMNS}`. The parent is a
 * primary-key lookup, made only for replies. substr counts characters (code points), as LIMITS does; a deleted
 * parent's content is already "".
 */
export const JOINED_COLUMNS = `m."id", m."userId", m."username", m."content", m."createdAt", m."room", m."clientId",
  m."seq", m."editedAt", m."deleted", m."replyToId",
  p."username" AS "replyUsername", substr(p."content", 1, ${LIMITS.replyQuoteMax}) AS "replyContent"`;
export const MESSAGE_FROM = `"Message" m LEFT JOIN "Message" p ON p."id" = m."replyToId"`;

export interface MessageRow {
  id: number;
  userId: number;
  username: string;
  content: string;
  createdAt: string | number;
  room: string;
  clientId: string | null;
  seq: number;
  editedAt: string | number | null;
  /** SQLite's boolean */
  deleted: number;
  replyToId: number | null;
  replyUsername?: string | null;
  replyContent?: string | null;
}

export interface ReactionRow {
  messageId: number;
  emoji: string;
  username: string;
}

/** Prisma stores DateTime as ISO 8601 text with an explicit offset; this writes the same. */
export const prismaTimestamp = (d: Date): string => d.toISOString().replace("Z", "+00:00");

function replyOf(row: MessageRow): Message["replyTo"] {
  if (row.replyToId === null) return null;
  return { id: row.replyToId, username: row.replyUsername ?? "", content: row.replyContent ?? "" };
}

export function toMessage(row: MessageRow, reactions: Reaction[] = []): Message {
  const message: Message = {
    id: row.id,
    username: row.username,
    content: row.content,
    timestamp: fromSqliteDate(row.createdAt).toISOString(),
    room: row.room,
    seq: row.seq,
    editedAt: row.editedAt === null ? null : fromSqliteDate(row.editedAt).toISOString(),
    deleted: row.deleted === 1,
    reactions: row.deleted === 1 ? [] : reactions,
    replyTo: replyOf(row),
  };
  if (row.clientId) message.clientId = row.clientId;
  return message;
}

/** Reaction rows (ordered by when each was added) grouped per message, each emoji in order of its first use. */
export function groupReactions(rows: ReactionRow[]): Map<number, Reaction[]> {
  const byMessage = new Map<number, Map<string, Reaction>>();
  for (const r of rows) {
    let emojis = byMessage.get(r.messageId);
    if (!emojis) byMessage.set(r.messageId, (emojis = new Map<string, Reaction>()));
    const entry = emojis.get(r.emoji);
    if (entry) {
      entry.count++;
      entry.users.push(r.username);
    } else emojis.set(r.emoji, { emoji: r.emoji, count: 1, users: [r.username] });
  }
  return new Map([...byMessage].map(([id, emojis]) => [id, [...emojis.values()]]));
}

/** A DateTime column read without Prisma: Prisma writes ISO text, older rows may hold epoch milliseconds. */
export function fromSqliteDate(value: string | number): Date {
  return new Date(typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value);
}
