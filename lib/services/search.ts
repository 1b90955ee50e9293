// Search (SPEC.md "Search"): the query parsed, its operators resolved against who is asking — only the rooms
// the user is in now, in:@user as their DM — then one page from the data layer, newest first, each hit with
// the ranges that matched. Knows nothing of HTTP or sockets.
import type { SearchFilter, SearchQueries, UserQueries } from "../db/data-layer";
import { AppError } from "../errors";
import { dmRoomName, type SearchQuery, type SearchResponse } from "../protocol";
import { highlightRanges } from "../search/highlight";
import { parseQuery, QueryError, type ParsedQuery } from "../search/query";
import type { Identity } from "./auth";
import type { RoomService } from "./rooms";

export interface SearchDeps {
  search: SearchQueries;
  users: Pick<UserQueries, "findUserByName">;
  rooms: Pick<RoomService, "roomNames">;
}

function parse(q: string): ParsedQuery {
  try {
    return parseQuery(q);
  } catch (err) {
    if (err instanceof QueryError) throw new AppError("invalid_input", err.message);
    throw err;
  }
}

export function createSearchService(deps: SearchDeps) {
  /** the rooms to search: the user's, narrowed by in: (a room they are not in: none) */
  async function roomsFor(user: Identity, where: ParsedQuery["in"]): Promise<string[]> {
    const mine = await deps.rooms.roomNames(user.userId);
    if (!where) return mine;
    const wanted = ("dm" in where ? dmRoomName(user.username, where.dm) : where.room).toLowerCase();
    return mine.filter((r) => r.toLowerCase() === wanted);
  }

  /** the filter for `parsed`, or null when an operator names no one (nothing can match) */
  async function filterFor(user: Identity, parsed: ParsedQuery, query: SearchQuery): Promise<SearchFilter | null> {
    const rooms = await roomsFor(user, parsed.in);
    const author = parsed.from === undefined ? undefined : await deps.users.findUserByName(parsed.from);
    if (rooms.length === 0 || author === null) return null;
    return {
      terms: parsed.terms,
      rooms,
      ...(author && { authorId: author.id }),
      ...(parsed.since && { since: parsed.since }),
      ...(parsed.until && { until: parsed.until }),
      ...(query.cursor !== undefined && { beforeId: Number(query.cursor) }),
      limit: query.limit + 1,
    };
  }

  return {
    async search(user: Identity, query: SearchQuery): Promise<SearchResponse> {
      const parsed = parse(query.q);
      const filter = await filterFor(user, parsed, query);
      if (!filter) return { results: [], next: null };
      const found = await deps.search.search(filter);
      const page = found.slice(0, query.limit);
      const more = found.length > query.limit;
      return {
        results: page.map((message) => ({ message, highlights: highlightRanges(message.content, parsed.terms) })),
        next: more && page.length > 0 ? String(page.at(-1)!.id) : null,
      };
    },
  };
}
export type SearchService = ReturnType<typeof createSearchService>;
