// Where a message matches its search: [start, end) ranges of UTF-16 indices into its content (what
// String.slice takes), for the clients to mark as text, never HTML. Tokens are compared as the index
// compares them: case-folded, diacritics removed (unicode61 remove_diacritics 2).
import type { SearchTerm } from "./query";

export type Highlight = [start: number, end: number];

const TOKEN = /[\p{L}\p{N}\p{Co}]+/gu;

/** A token as the index stores it: lower case, combining marks removed. */
export const foldToken = (s: string): string => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

interface Token {
  text: string;
  start: number;
  end: number;
}

function tokenize(content: string): Token[] {
  return [...content.matchAll(TOKEN)].map((m) => ({
    text: foldToken(m[0]),
    start: m.index,
    end: m.index + m[0].length,
  }));
}

function matchesWord(token: string, word: string, prefix: boolean): boolean {
  return prefix ? token.startsWith(word) : token === word;
}

/** Marks every token that a word term matches and every run of tokens that a phrase matches. */
export function highlightRanges(content: string, terms: SearchTerm[]): Highlight[] {
  const tokens = tokenize(content);
  const marked = new Array<boolean>(tokens.length).fill(false);
  for (const term of terms) {
    if (term.kind === "word") {
      const word = foldToken(term.text);
      tokens.forEach((t, i) => {
        if (matchesWord(t.text, word, term.prefix)) marked[i] = true;
      });
      continue;
    }
    const words = term.words.map(foldToken);
    for (let i = 0; i + words.length <= tokens.length; i++) {
      if (words.every((w, j) => tokens[i + j]!.text === w)) words.forEach((_, j) => (marked[i + j] = true));
    }
  }
  const ranges: Highlight[] = [];
  tokens.forEach((t, i) => {
    if (marked[i]) ranges.push([t.start, t.end]);
  });
  return ranges;
}

/** Content cut into plain and marked parts by `ranges` (sorted, not overlapping), for rendering as text. */
export function splitHighlights(content: string, ranges: Highlight[]): { text: string; hit: boolean }[] {
  const parts: { text: string; hit: boolean }[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start < at || end > content.length || start >= end) continue;
    if (start > at) parts.push({ text: content.slice(at, start), hit: false });
    parts.push({ text: content.slice(start, end), hit: true });
    at = end;
  }
  if (at < content.length) parts.push({ text: content.slice(at), hit: false });
  return parts;
}
