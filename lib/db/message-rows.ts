// Message rows as better-sqlite3 returns them (the writer and the prepared reads share this shape), and how a
// row and its reactions become a wire Message.
import { avatarUrlFor, LIMITS, type FileInfo, type Message, type Reaction } from "../protocol";

/** The columns of a message row. A reply's quote is read apart, for the rows that have a parent (few). */
export const MESSAGE_COLUMNS = `"id", "userId", "username", "content", "createdAt", "room", "clientId", "seq", "editedAt", "deleted", "replyToId", "mentions", "botName", "botIconUrl"`;

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
  /** the mentioned usernames as a JSON array */
  mentions: string;
  /** set on what an incoming webhook posted */
  botName: string | null;
  botIconUrl: string | null;
  /** a reply's parent, filled in by a second read (message-selects.ts) */
  replyUsername?: string | null;
  replyContent?: string | null;
  /** set when the parent is a webhook's post */
  replyBotName?: string | null;
  /** the author's profile now, filled in by a read of the User table (message-selects.ts) */
  displayName?: string | null;
  avatarId?: string | null;
}

/** An author's display name and avatar, as message rows are given them. */
export interface AuthorRow {
  id: number;
  displayName: string | null;
  avatarId: string | null;
}

/** A parent's name and quote (the first characters of its content), as a reply shows them. */
export const QUOTE_COLUMNS = `"id", "username" AS "replyUsername", substr("content", 1, ${LIMITS.replyQuoteMax}) AS "replyContent", "botName" AS "replyBotName"`;
export interface QuoteRow {
  id: number;
  replyUsername: string;
  replyContent: string;
  replyBotName: string | null;
}

/** what a reply row takes of its parent's quote row */
export const quoteFields = ({ replyUsername, replyContent, replyBotName }: QuoteRow) => ({
  replyUsername,
  replyContent,
  replyBotName,
});

export interface ReactionRow {
  messageId: number;
  emoji: string;
  username: string;
}

/** Prisma stores DateTime as ISO 8601 text with an explicit offset; this writes the same. */
export const prismaTimestamp = (d: Date): string => d.toISOString().replace("Z", "+00:00");

function replyOf(row: MessageRow): Message["replyTo"] {
  if (row.replyToId === null) return null;
  return {
    id: row.replyToId,
    username: row.replyUsername ?? "",
    content: row.replyContent ?? "",
    botName: row.replyBotName ?? null,
  };
}

export function toMessage(row: MessageRow, reactions: Reaction[] = [], files: FileInfo[] = []): Message {
  const message: Message = {
    id: row.id,
    username: row.username,
    content: row.content,
    timestamp: isoFromSqliteDate(row.createdAt),
    room: row.room,
    seq: row.seq,
    editedAt: row.editedAt === null ? null : isoFromSqliteDate(row.editedAt),
    deleted: row.deleted === 1,
    reactions: row.deleted === 1 ? [] : reactions,
    replyTo: replyOf(row),
    mentions: row.deleted === 1 || row.mentions === "[]" ? [] : (JSON.parse(row.mentions) as string[]),
    files: row.deleted === 1 ? [] : files,
    displayName: row.displayName ?? null,
    avatarUrl: avatarUrlFor(row.avatarId),
    bot: row.botName === null ? null : { name: row.botName, iconUrl: row.botIconUrl },
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

// what prismaTimestamp writes: "2026-12-02T13:33:14.675+00:00"
const PRISMA_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/;

/** The wire form (toISOString) of a stored DateTime; Prisma's own UTC text needs only its suffix changed,
 *  which spares two conversions per message on every page. */
export function isoFromSqliteDate(value: string | number): string {
  if (typeof value === "string" && PRISMA_UTC.test(value)) return `${value.slice(0, 23)}Z`;
  return fromSqliteDate(value).toISOString();
}
