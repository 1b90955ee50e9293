// The search query language (SPEC.md "Search"), parsed into terms and filters. Pure: the server parses what
// it is asked, the web UI reads operators back for its suggestions. Nothing here knows a database: the
// SQLite layer turns terms into an FTS5 MATCH string (fts5.ts), the PostgreSQL layer into a tsquery (tsquery.ts).
//   words           every word must match          deploy  staging
//   word*           a prefix                        depl*
//   "a phrase"      these words, in this order      "rolled back"
//   from:<user>     sent by                         from:alice
//   in:<room>       in a room (also in:#room), in:@user is the DM with that user
//   before:/after:  YYYY-MM-DD, UTC; before: is strictly before that day, after: strictly after it
export type SearchTerm = { kind: "word"; text: string; prefix: boolean } | { kind: "phrase"; words: string[] };

export type SearchIn = { room: string } | { dm: string };

export interface ParsedQuery {
  terms: SearchTerm[];
  from?: string;
  in?: SearchIn;
  /** inclusive lower bound (the day after `after:`), exclusive upper bound (`before:`) */
  since?: Date;
  until?: Date;
}

export const SEARCH_QUERY_MAX = 500;
export const SEARCH_OPERATORS = ["from:", "in:", "before:", "after:"] as const;

export class QueryError extends Error {
  override name = "QueryError";
}

// unicode61 keeps letters, digits and private-use characters in tokens; everything else separates them
const TOKEN_CHARS = /[\p{L}\p{N}\p{Co}]+/gu;

/** The tokens the index would see in `text` (punctuation and emoji separate, as unicode61 does). */
export const tokensOf = (text: string): string[] => text.match(TOKEN_CHARS) ?? [];

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;

function parseDay(op: string, value: string): Date {
  const m = DAY.exec(value);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !date || date.getUTCDate() !== Number(m[3]) || date.getUTCMonth() !== Number(m[2]) - 1)
    throw new QueryError(`${op} needs a date as YYYY-MM-DD, got "${value}"`);
  return date;
}

/** Splits on whitespace outside double quotes; a quoted part stays one piece, quotes included. */
function pieces(q: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)("?)|[^\s"]+(?:"[^"]*"?)?/gu;
  for (const m of q.matchAll(re)) {
    if (m[0].startsWith('"') && m[2] !== '"') throw new QueryError("a quoted phrase is missing its closing quote");
    out.push(m[0]);
  }
  return out;
}

function applyOperator(parsed: ParsedQuery, op: string, raw: string): void {
  const value = raw.replace(/^"|"$/g, "");
  if (!value) throw new QueryError(`${op} needs a value`);
  const once = (has: unknown) => {
    if (has !== undefined) throw new QueryError(`${op} may be given once`);
  };
  switch (op) {
    case "from:":
      once(parsed.from);
      parsed.from = value.replace(/^@/, "");
      return;
    case "in:":
      once(parsed.in);
      parsed.in = value.startsWith("@") ? { dm: value.slice(1) } : { room: value.replace(/^#/, "") };
      if (!Object.values(parsed.in)[0]) throw new QueryError(`${op} needs a value`);
      return;
    case "before:":
      once(parsed.until);
      parsed.until = parseDay(op, value);
      return;
    default:
      once(parsed.since);
      parsed.since = new Date(parseDay(op, value).getTime() + DAY_MS);
  }
}

function addWords(parsed: ParsedQuery, piece: string): void {
  if (piece.startsWith('"')) {
    const words = tokensOf(piece.slice(1, -1));
    if (words.length === 1) parsed.terms.push({ kind: "word", text: words[0]!, prefix: false });
    else if (words.length > 1) parsed.terms.push({ kind: "phrase", words });
    return;
  }
  const prefix = piece.endsWith("*");
  const words = tokensOf(piece);
  // `foo-bar` is the phrase the index holds for it; a trailing * applies to its last word
  if (words.length > 1) parsed.terms.push({ kind: "phrase", words });
  else if (words.length === 1) parsed.terms.push({ kind: "word", text: words[0]!, prefix });
  if (prefix && words.length > 1) parsed.terms.push({ kind: "word", text: words.at(-1)!, prefix: true });
}

/** Parses a query; throws QueryError (with a message for the user) when it is empty or malformed. */
export function parseQuery(q: string): ParsedQuery {
  const text = q.trim();
  if (!text) throw new QueryError('search for something: words, "a phrase", from:user, in:room …');
  if (text.length > SEARCH_QUERY_MAX) throw new QueryError(`a search is at most ${SEARCH_QUERY_MAX} characters`);
  const parsed: ParsedQuery = { terms: [] };
  for (const piece of pieces(text)) {
    const op = SEARCH_OPERATORS.find((o) => piece.toLowerCase().startsWith(o));
    if (op) applyOperator(parsed, op, piece.slice(op.length));
    else addWords(parsed, piece);
  }
  const filtered = parsed.from ?? parsed.in ?? parsed.since ?? parsed.until;
  if (parsed.terms.length === 0 && filtered === undefined)
    throw new QueryError("nothing to search for: give a word with letters or digits, or an operator");
  if (parsed.since && parsed.until && parsed.since >= parsed.until)
    throw new QueryError("after: must be a day at least two days before before:");
  return parsed;
}
