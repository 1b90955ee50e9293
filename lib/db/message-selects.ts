// Reading whole messages (their reply quote and reactions) on a better-sqlite3 connection: the prepared reads
// use it for pages, the writer inside its transaction for what it acks. A page is its rows, then one
// statement for the reactions of its live messages and one for the parents of its replies (skipped when it
// has none), the ids as one JSON array parameter: cheaper than joining every row to its possible parent. The
// authors' display names and avatars are one more statement over their distinct ids, so a profile change
// shows on every message without rewriting any.
import type Database from "better-sqlite3";
import type { Message } from "../protocol";
import {
  groupReactions,
  MESSAGE_COLUMNS,
  QUOTE_COLUMNS,
  quoteFields,
  toMessage,
  type AuthorRow,
  type MessageRow,
  type QuoteRow,
  type ReactionRow,
} from "./message-rows";
import { createUploadRows } from "./upload-rows";

export function createMessageSelects(conn: Database.Database) {
  const byId = conn.prepare<[number], MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM "Message" WHERE "id" = ?`);
  // ordered by the reaction's id, so that emojis come in order of first use and users in order of reacting
  const reactionsOf = conn.prepare<[string], ReactionRow>(
    `SELECT "messageId", "emoji", "username" FROM "Reaction"
      WHERE "messageId" IN (SELECT "value" FROM json_each(?)) ORDER BY "id"`,
  );
  const quotesOf = conn.prepare<[string], QuoteRow>(
    `SELECT ${QUOTE_COLUMNS} FROM "Message" WHERE "id" IN (SELECT "value" FROM json_each(?))`,
  );

  const authorsOf = conn.prepare<[string], AuthorRow>(
    `SELECT u."id", u."displayName", a."id" AS "avatarId" FROM "User" u LEFT JOIN "Avatar" a ON a."userId" = u."id"
      WHERE u."id" IN (SELECT "value" FROM json_each(?))`,
  );

  // one author (every message the writer stores, a page by one person): a plain lookup, no JSON array
  const authorOf = conn.prepare<[number], AuthorRow>(
    `SELECT u."id", u."displayName", a."id" AS "avatarId" FROM "User" u LEFT JOIN "Avatar" a ON a."userId" = u."id"
      WHERE u."id" = ?`,
  );
  function authorsById(ids: number[]): AuthorRow[] {
    if (ids.length !== 1) return authorsOf.all(JSON.stringify(ids));
    const one = authorOf.get(ids[0]!);
    return one ? [one] : [];
  }

  /** gives each row its author's current display name and avatar */
  function addAuthors(rows: MessageRow[]): void {
    if (rows.length === 0) return;
    const ids = [...new Set(rows.map((r) => r.userId))];
    const authors = new Map(authorsById(ids).map((a) => [a.id, a]));
    for (const row of rows) {
      const author = authors.get(row.userId);
      row.displayName = author?.displayName ?? null;
      row.avatarId = author?.avatarId ?? null;
    }
  }

  /** gives each reply in `rows` its parent's name and quote (a deleted parent's content is already "") */
  function addQuotes(rows: MessageRow[]): void {
    const parents = rows.filter((r) => r.replyToId !== null).map((r) => r.replyToId);
    if (parents.length === 0) return;
    const quotes = new Map(quotesOf.all(JSON.stringify(parents)).map((q) => [q.id, q]));
    for (const row of rows) {
      const quote = row.replyToId === null ? undefined : quotes.get(row.replyToId);
      if (quote) Object.assign(row, quoteFields(quote));
    }
  }

  const uploads = createUploadRows(conn);

  /** Rows as whole Messages: reply quotes, reactions and files added. */
  function toMessages(rows: MessageRow[]): Message[] {
    addQuotes(rows);
    addAuthors(rows);
    const live = rows.filter((r) => r.deleted !== 1).map((r) => r.id);
    if (live.length === 0) return rows.map((r) => toMessage(r));
    const reactions = groupReactions(reactionsOf.all(JSON.stringify(live)));
    const files = uploads.filesOf(live);
    return rows.map((r) => toMessage(r, reactions.get(r.id), files.get(r.id)));
  }

  return {
    toMessages,
    addAuthors,
    /** the message row as stored (its author's id included), or undefined */
    row: (id: number): MessageRow | undefined => byId.get(id),
    uploads,
    message(id: number): Message | undefined {
      const row = byId.get(id);
      return row ? toMessages([row])[0] : undefined;
    },
  };
}
export type MessageSelects = ReturnType<typeof createMessageSelects>;
