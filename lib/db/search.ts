// Full-text search on the prepared-reads connection: the FTS5 index "MessageSearch" (migration
// 20261202140000_search; filled in batches by search-indexer.ts, which open.ts runs before each search)
// walked newest first, joined to the rows it names and kept
// to the rooms asked for; `from:` is an indexed author token. A search by in: or dates alone walks the
// messages by id instead.
// FTS5 returns rowids in descending order natively, so a page stops after `limit` matching rows.
import type Database from "better-sqlite3";
import type { Message } from "../protocol";
import { toFts5Match } from "../search/fts5";
import type { SearchFilter } from "./data-layer";
import { MESSAGE_COLUMNS, prismaTimestamp, type MessageRow } from "./message-rows";
import type { MessageSelects } from "./message-selects";

interface SearchParams {
  match?: string;
  rooms: string;
  beforeId: number;
  authorId: number | null;
  since: string | null;
  until: string | null;
  limit: number;
}

const COLUMNS = MESSAGE_COLUMNS.split(", ")
  .map((c) => `m.${c}`)
  .join(", ");

const FILTERS = `m."room" IN (SELECT "value" FROM json_each(@rooms)) AND m."deleted" = 0
  AND (@authorId IS NULL OR m."userId" = @authorId)
  AND (@since IS NULL OR m."createdAt" >= @since) AND (@until IS NULL OR m."createdAt" < @until)`;

export function createSearch(conn: Database.Database, selects: MessageSelects) {
  // CROSS JOIN keeps the index as the outer loop, in its rowid order
  const byWords = conn.prepare<[SearchParams], MessageRow>(
    `SELECT ${COLUMNS} FROM "MessageSearch" s CROSS JOIN "Message" m ON m."id" = s.rowid
      WHERE "MessageSearch" MATCH @match AND s.rowid < @beforeId AND ${FILTERS}
      ORDER BY s.rowid DESC LIMIT @limit`,
  );
  const byFilters = conn.prepare<[SearchParams], MessageRow>(
    `SELECT ${COLUMNS} FROM "Message" m WHERE m."id" < @beforeId AND ${FILTERS} ORDER BY m."id" DESC LIMIT @limit`,
  );

  return function search(f: SearchFilter): Message[] {
    if (f.rooms.length === 0) return [];
    const params: SearchParams = {
      rooms: JSON.stringify(f.rooms),
      beforeId: f.beforeId ?? Number.MAX_SAFE_INTEGER,
      authorId: f.authorId ?? null,
      since: f.since ? prismaTimestamp(f.since) : null,
      until: f.until ? prismaTimestamp(f.until) : null,
      limit: f.limit,
    };
    // the author is in the index too: from: alone or with words is an FTS5 lookup, not a walk of every row
    const match = toFts5Match(f.terms, f.authorId ?? null);
    const rows = match === null ? byFilters.all(params) : byWords.all({ ...params, match });
    return selects.toMessages(rows);
  };
}
