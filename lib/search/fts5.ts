// Parsed search terms as an SQLite FTS5 MATCH expression. User text never reaches MATCH as syntax: every
// word is a double-quoted string (quotes inside doubled), joined by implicit AND; a prefix is `"word" *`.
import type { SearchTerm } from "./query";

const quoted = (s: string): string => `"${s.replaceAll('"', '""')}"`;

/** The MATCH string for `terms`, or null when there are none (a filter-only search). */
export function toFts5Match(terms: SearchTerm[]): string | null {
  if (terms.length === 0) return null;
  return terms
    .map((t) => (t.kind === "phrase" ? quoted(t.words.join(" ")) : t.prefix ? `${quoted(t.text)} *` : quoted(t.text)))
    .join(" ");
}
