// Reading whole messages (their reply quote and reactions) on a better-sqlite3 connection: the prepared reads
// use it for pages, the writer inside its transaction for what it acks. Reactions cost one statement per page,
// the page's ids as one JSON array parameter.
import type Database from "better-sqlite3";
import type { Message } from "../protocol";
import {
  groupReactions,
  JOINED_COLUMNS,
  MESSAGE_FROM,
  toMessage,
  type MessageRow,
  type ReactionRow,
} from "./message-rows";

export function createMessageSelects(conn: Database.Database) {
  const byId = conn.prepare<[number], MessageRow>(`SELECT ${JOINED_COLUMNS} FROM ${MESSAGE_FROM} WHERE m."id" = ?`);
  // ordered by the reaction's id, so that emojis come in order of first use and users in order of reacting
  const reactionsOf = conn.prepare<[string], ReactionRow>(
    `SELECT "messageId", "emoji", "username" FROM "Reaction"
      WHERE "messageId" IN (SELECT "value" FROM json_each(?)) ORDER BY "id"`,
  );

  /** Rows as Messages, with their reactions (one query, none for an empty page). */
  function withReactions(rows: MessageRow[]): Message[] {
    const live = rows.filter((r) => r.deleted !== 1).map((r) => r.id);
    if (live.length === 0) return rows.map((r) => toMessage(r));
    const reactions = groupReactions(reactionsOf.all(JSON.stringify(live)));
    return rows.map((r) => toMessage(r, reactions.get(r.id)));
  }

  return {
    withReactions,
    /** the message row as stored (its author's id included), or undefined */
    row: (id: number): MessageRow | undefined => byId.get(id),
    message(id: number): Message | undefined {
      const row = byId.get(id);
      return row ? withReactions([row])[0] : undefined;
    },
  };
}
export type MessageSelects = ReturnType<typeof createMessageSelects>;
