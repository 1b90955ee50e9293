// The PostgreSQL search literals (lib/search/tsquery.ts): lexemes as SQLite's unicode61 makes them (case and
// diacritics folded, punctuation separating), positions for phrases, and user text that never becomes syntax.
import { describe, expect, it } from "vitest";
import { parseQuery } from "@/lib/search/query";
import { searchLexemes, toTsqueryLiteral, toTsvectorLiteral } from "@/lib/search/tsquery";

describe("tsvector documents", () => {
  it("fold case and diacritics, split on punctuation, keep positions", () => {
    expect(searchLexemes("Café déjà-vu, NAÏVE x2!")).toEqual(["cafe", "deja", "vu", "naive", "x2"]);
    expect(toTsvectorLiteral("Deploy the deploy, then DEPLOY")).toBe("'deploy':1,3,5 'the':2 'then':4");
    expect(toTsvectorLiteral("🎉 !!! ")).toBe("");
    // PostgreSQL's limit for one lexeme: a longer word is cut at 2046 bytes, whole characters only
    expect(searchLexemes("a".repeat(4000))).toEqual(["a".repeat(2046)]);
    expect(searchLexemes("漢".repeat(4000))).toEqual(["漢".repeat(682)]);
  });
});

describe("tsquery from parsed terms", () => {
  const q = (text: string) => toTsqueryLiteral(parseQuery(text).terms);
  it("words are ANDed, prefixes get :*, phrases <->", () => {
    expect(q("Deploy staging")).toBe("'deploy' & 'staging'");
    expect(q("depl*")).toBe("'depl':*");
    expect(q('"rolled back" café')).toBe("('rolled' <-> 'back') & 'cafe'");
    expect(q("foo-bar*")).toBe("('foo' <-> 'bar') & 'bar':*");
  });
  it("operators and tsquery syntax in the input are only text", () => {
    expect(q("from:alice")).toBeNull();
    // punctuation separates words (a&b is the phrase a b, as unicode61 indexes it); a trailing * is a prefix
    expect(q("a&b | !c <-> d:*")).toBe("('a' <-> 'b') & 'c' & 'd':*");
    expect(q("it's")).toBe("('it' <-> 's')");
  });
});
