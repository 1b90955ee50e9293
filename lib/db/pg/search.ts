// Full-text search on PostgreSQL: the GIN-indexed tsvector documents of "MessageSearch" (migration
// 20261206220100_search, written by the message writer) matched by a tsquery made from the parsed terms
// (lib/search/tsquery.ts), joined to the live messages of the rooms asked for, newest first. `from:` and
// dates are plain conditions on Message; a search by in:, from: or dates alone walks the messages by id.
import type { SearchFilter, SearchQueries } from "../data-layer";
import type { MessageRow } from "../message-rows";
import { toTsqueryLiteral } from "../../search/tsquery";
import { messageColumns, toMessages } from "./message-selects";
import type { Pool } from "./pool";

// $1 rooms, $2 beforeId, $3 authorId, $4 since, $5 until, $6 limit, $7 the tsquery
const FILTERS = `m."room" = ANY($1::text[]) AND m."deleted" = false AND m."id" < $2
  AND ($3::int IS NULL OR m."userId" = $3) AND ($4::timestamp(3) IS NULL OR m."createdAt" >= $4)
  AND ($5::timestamp(3) IS NULL OR m."createdAt" < $5)`;
const BY_WORDS = `SELECT ${messageColumns("m")} FROM "MessageSearch" s JOIN "Message" m ON m."id" = s."messageId"
  WHERE s."document" @@ $7::tsquery AND ${FILTERS} ORDER BY m."id" DESC LIMIT $6`;
const BY_FILTERS = `SELECT ${messageColumns("m")} FROM "Message" m WHERE ${FILTERS} ORDER BY m."id" DESC LIMIT $6`;

const INT_MAX = 2 ** 31 - 1;

export function pgSearchQueries(pool: Pool): SearchQueries {
  return {
    async search(f: SearchFilter) {
      if (f.rooms.length === 0) return [];
      const values = [
        f.rooms,
        Math.min(f.beforeId ?? INT_MAX, INT_MAX),
        f.authorId ?? null,
        f.since ?? null,
        f.until ?? null,
        f.limit,
      ];
      const query = toTsqueryLiteral(f.terms);
      // terms that fold to no word at all match nothing (never "everything")
      if (query === null && f.terms.length > 0) return [];
      const { rows } =
        query === null
          ? await pool.query<MessageRow>({ name: "search-filters", text: BY_FILTERS, values })
          : await pool.query<MessageRow>({ name: "search-words", text: BY_WORDS, values: [...values, query] });
      return toMessages(pool, rows);
    },
  };
}
