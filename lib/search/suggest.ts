// Operator suggestions while a search is typed: the word at the end of the query completes to an operator
// (`fr` → `from:`), `from:` to usernames and `in:` to the user's rooms (`in:#ops`) and DMs (`in:@bob`).
import { SEARCH_OPERATORS } from "./query";

export interface Suggestion {
  /** what the list shows */
  label: string;
  /** the whole query once it is picked */
  query: string;
}

const MAX = 8;

export function suggest(
  query: string,
  people: readonly string[],
  rooms: readonly { name: string; peer?: string | undefined }[],
): Suggestion[] {
  const match = /(^|\s)(\S*)$/.exec(query);
  const word = match?.[2] ?? "";
  const head = query.slice(0, query.length - word.length);
  const lower = word.toLowerCase();
  const pick = (values: string[]) => values.slice(0, MAX).map((v) => ({ label: v, query: `${head}${v} ` }));
  if (lower.startsWith("from:")) {
    const typed = lower.slice(5).replace(/^@/, "");
    return pick(people.filter((p) => p.toLowerCase().startsWith(typed)).map((p) => `from:${p}`));
  }
  if (lower.startsWith("in:")) {
    const typed = lower.slice(3).replace(/^[#@]/, "");
    const names = rooms.map((r) => (r.peer ? `in:@${r.peer}` : `in:#${r.name}`));
    return pick(names.filter((n) => n.slice(4).toLowerCase().startsWith(typed)));
  }
  if (!lower || lower.includes(":") || lower.startsWith('"')) return [];
  return pick(SEARCH_OPERATORS.filter((o) => o.startsWith(lower) && o !== lower).map((o) => o)).map((s) => ({
    ...s,
    query: s.query.trimEnd(),
  }));
}
