// Whole messages on PostgreSQL, as message-selects.ts builds them on SQLite: a page is its rows, then one
// statement each for the reply quotes, the authors' profiles, the reactions and the files of its live
// messages (ids as one int[] parameter), all named prepared statements. Rows are read in the shape
// better-sqlite3 gives (message-rows.ts), so a row becomes a wire Message by the same code on both databases:
// timestamps as Prisma's UTC text, booleans as 0/1.
import type { FileInfo, Message } from "../../protocol";
import {
  groupReactions,
  QUOTE_COLUMNS,
  quoteFields,
  toMessage,
  type AuthorRow,
  type MessageRow,
  type QuoteRow,
  type ReactionRow,
} from "../message-rows";
import { toFileInfo, type UploadRow } from "../upload-rows";
import type { Pool, PoolClient } from "./pool";

/** Runs named statements: the pool, or the one connection of a transaction. */
export type Queryable = Pick<Pool, "query"> | Pick<PoolClient, "query">;

/** A timestamp(3) column as Prisma's SQLite text (2026-12-02T13:33:14.675+00:00), which toMessage reads fast. */
export const utcText = (column: string): string => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"+00:00"')`;

/** The message columns, optionally of a table alias, shaped as MessageRow. */
export function messageColumns(alias = ""): string {
  const c = (name: string) => `${alias ? `${alias}.` : ""}"${name}"`;
  return [
    ...["id", "userId", "username", "content"].map(c),
    `${utcText(c("createdAt"))} AS "createdAt"`,
    ...["room", "clientId", "seq"].map(c),
    `${utcText(c("editedAt"))} AS "editedAt"`,
    `${c("deleted")}::int AS "deleted"`,
    ...["replyToId", "mentions", "botName", "botIconUrl"].map(c),
  ].join(", ");
}
export const MESSAGE_COLUMNS = messageColumns();

const QUOTES = `SELECT ${QUOTE_COLUMNS} FROM "Message" WHERE "id" = ANY($1::int[])`;
const AUTHORS = `SELECT u."id", u."displayName", a."id" AS "avatarId" FROM "User" u LEFT JOIN "Avatar" a ON a."userId" = u."id"
  WHERE u."id" = ANY($1::int[])`;
// ordered by the reaction's id, so that emojis come in order of first use and users in order of reacting
const REACTIONS = `SELECT "messageId", "emoji", "username" FROM "Reaction" WHERE "messageId" = ANY($1::int[]) ORDER BY "id"`;
const FILES = `SELECT "id", "name", "size", "type", "width", "height", "thumbnail", "messageId" FROM "Upload"
  WHERE "messageId" = ANY($1::int[]) ORDER BY "messageId", "position"`;
const BY_ID = `SELECT ${MESSAGE_COLUMNS} FROM "Message" WHERE "id" = $1`;

/** gives each row its author's current display name and avatar */
export async function addAuthors(db: Queryable, rows: MessageRow[]): Promise<void> {
  if (rows.length === 0) return;
  const ids = [...new Set(rows.map((r) => r.userId))];
  const { rows: found } = await db.query<AuthorRow>({ name: "msg-authors", text: AUTHORS, values: [ids] });
  const authors = new Map(found.map((a) => [a.id, a]));
  for (const row of rows) {
    row.displayName = authors.get(row.userId)?.displayName ?? null;
    row.avatarId = authors.get(row.userId)?.avatarId ?? null;
  }
}

/** gives each reply its parent's name and quote (a deleted parent's content is already "") */
export async function addQuotes(db: Queryable, rows: MessageRow[]): Promise<void> {
  const parents = rows.filter((r) => r.replyToId !== null).map((r) => r.replyToId);
  if (parents.length === 0) return;
  const { rows: found } = await db.query<QuoteRow>({ name: "msg-quotes", text: QUOTES, values: [parents] });
  const quotes = new Map(found.map((q) => [q.id, q]));
  for (const row of rows) {
    const quote = row.replyToId === null ? undefined : quotes.get(row.replyToId);
    if (quote) Object.assign(row, quoteFields(quote));
  }
}

/** the files of `messageIds`, grouped per message, in their places */
export async function filesOf(db: Queryable, messageIds: number[]): Promise<Map<number, FileInfo[]>> {
  const byMessage = new Map<number, FileInfo[]>();
  if (messageIds.length === 0) return byMessage;
  const { rows } = await db.query<UploadRow>({ name: "msg-files", text: FILES, values: [messageIds] });
  for (const row of rows) {
    const list = byMessage.get(row.messageId!) ?? [];
    if (list.length === 0) byMessage.set(row.messageId!, list);
    list.push(toFileInfo(row));
  }
  return byMessage;
}

/** Rows as whole Messages: reply quotes, authors, reactions and files added. */
export async function toMessages(db: Queryable, rows: MessageRow[]): Promise<Message[]> {
  await addQuotes(db, rows);
  await addAuthors(db, rows);
  const live = rows.filter((r) => r.deleted !== 1).map((r) => r.id);
  if (live.length === 0) return rows.map((r) => toMessage(r));
  const reactions = await db.query<ReactionRow>({ name: "msg-reactions", text: REACTIONS, values: [live] });
  const grouped = groupReactions(reactions.rows);
  const files = await filesOf(db, live);
  return rows.map((r) => toMessage(r, grouped.get(r.id), files.get(r.id)));
}

export async function messageRow(db: Queryable, id: number): Promise<MessageRow | undefined> {
  const { rows } = await db.query<MessageRow>({ name: "msg-by-id", text: BY_ID, values: [id] });
  return rows[0];
}

export async function wholeMessage(db: Queryable, id: number): Promise<Message | undefined> {
  const row = await messageRow(db, id);
  return row ? (await toMessages(db, [row]))[0] : undefined;
}
