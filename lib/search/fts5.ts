// Parsed search terms as an SQLite FTS5 MATCH expression over "MessageSearch" (columns content, author).
// User text never reaches MATCH as syntax: every word is a double-quoted string (quotes inside doubled),
// joined by implicit AND; a prefix is `"word" *`. Words are kept to the content column, so a word that looks
// like an author token (u42) cannot match the author column; `from:` is the author column's one exact token.
import type { SearchTerm } from "./query";

const quoted = (s: string): string => `"${s.replaceAll('"', '""')}"`;

/** The token the index holds for a message's author (see migration 20261202220000_search_author). */
export const authorToken = (userId: number): string => `u${userId}`;

/** The words alone, as FTS5 phrases, or null when there are none. */
export function wordsMatch(terms: SearchTerm[]): string | null {
  if (terms.length === 0) return null;
  return terms
    .map((t) => (t.kind === "phrase" ? quoted(t.words.join(" ")) : t.prefix ? `${quoted(t.text)} *` : quoted(t.text)))
    .join(" ");
}

/** The MATCH string for `terms` by `authorId`, or null when neither is given (a filter-only search). */
export function toFts5Match(terms: SearchTerm[], authorId: number | null = null): string | null {
  const words = wordsMatch(terms);
  const parts = [
    ...(authorId === null ? [] : [`author : ${quoted(authorToken(authorId))}`]),
    ...(words === null ? [] : [`content : (${words})`]),
  ];
  return parts.length ? parts.join(" AND ") : null;
}
