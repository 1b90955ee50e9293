// Search on PostgreSQL without PostgreSQL's text parser: the lexemes are made here, by the tokeniser that
// parses queries (query.ts, tokensOf) with case and diacritics folded as SQLite's unicode61 (remove_diacritics 2)
// folds them, so a word matches the same messages on both databases. A message's document is a tsvector
// literal (lexeme:position …, positions for phrases); a search is a tsquery literal. Lexemes hold only
// letters, digits and private-use characters, so quoting them cannot be escaped from: user text never
// becomes tsquery syntax.
import { tokensOf, type SearchTerm } from "./query";

/** PostgreSQL keeps positions up to 16383; later ones are clamped to it (phrases there still match as words) */
const MAX_POSITION = 16_383;

export const foldLexeme = (token: string): string => token.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

/** PostgreSQL refuses lexemes over 2046 bytes: longer words are cut there, in documents and queries alike */
const MAX_LEXEME_BYTES = 2046;
function capped(lexeme: string): string {
  if (Buffer.byteLength(lexeme) <= MAX_LEXEME_BYTES) return lexeme;
  let out = "";
  let bytes = 0;
  for (const ch of lexeme) {
    bytes += Buffer.byteLength(ch);
    if (bytes > MAX_LEXEME_BYTES) break;
    out += ch;
  }
  return out;
}

const quote = (lexeme: string): string => `'${lexeme.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;

/** The lexemes of `text`, in order, as the index holds them. */
export const searchLexemes = (text: string): string[] =>
  tokensOf(text).flatMap((t) => tokensOf(foldLexeme(t)).map(capped));

/** `text` as a tsvector literal (cast with ::tsvector); "" for a text without words. */
export function toTsvectorLiteral(text: string): string {
  const positions = new Map<string, number[]>();
  searchLexemes(text).forEach((lexeme, i) => {
    const list = positions.get(lexeme) ?? [];
    if (list.length === 0) positions.set(lexeme, list);
    if (list.length < 256) list.push(Math.min(i + 1, MAX_POSITION));
  });
  return [...positions].map(([lexeme, at]) => `${quote(lexeme)}:${[...new Set(at)].join(",")}`).join(" ");
}

/** One term as tsquery: a word, a prefix (word:*) or a phrase (a <-> b); null when it folds to nothing. */
function termQuery(t: SearchTerm): string | null {
  if (t.kind === "phrase") {
    const words = t.words.flatMap(searchLexemes);
    return words.length ? `(${words.map(quote).join(" <-> ")})` : null;
  }
  const words = searchLexemes(t.text);
  if (words.length === 0) return null;
  const last = words.length - 1;
  const lexemes = words.map((w, i) => `${quote(w)}${t.prefix && i === last ? ":*" : ""}`);
  return lexemes.length > 1 ? `(${lexemes.join(" <-> ")})` : lexemes[0]!;
}

/** Every term must match: the tsquery literal (cast with ::tsquery), or null when there are no words. */
export function toTsqueryLiteral(terms: SearchTerm[]): string | null {
  const parts = terms.map(termQuery).filter((p): p is string => p !== null);
  return parts.length ? parts.join(" & ") : null;
}
