// The search query parser (lib/search/query.ts), its FTS5 MATCH string (fts5.ts) and highlight ranges.
import Database from "better-sqlite3";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { toFts5Match } from "@/lib/search/fts5";
import { highlightRanges, splitHighlights } from "@/lib/search/highlight";
import { parseQuery, QueryError } from "@/lib/search/query";

describe("parseQuery", () => {
  it("reads words, prefixes and phrases", () => {
    expect(parseQuery('deploy stag* "rolled back"').terms).toEqual([
      { kind: "word", text: "deploy", prefix: false },
      { kind: "word", text: "stag", prefix: true },
      { kind: "phrase", words: ["rolled", "back"] },
    ]);
  });

  it("reads every operator, case-insensitively, with # and @ forms", () => {
    const q = parseQuery("From:alice in:#ops before:2026-03-10 after:2026-03-01 x");
    expect(q.from).toBe("alice");
    expect(q.in).toEqual({ room: "ops" });
    expect(q.until?.toISOString()).toBe("2026-03-10T00:00:00.000Z");
    // after: a day means from the next day on
    expect(q.since?.toISOString()).toBe("2026-03-02T00:00:00.000Z");
    expect(parseQuery("in:@bob").in).toEqual({ dm: "bob" });
    expect(parseQuery("in:ops").in).toEqual({ room: "ops" });
    expect(parseQuery("from:@carol").from).toBe("carol");
  });

  it("allows a search by operators alone", () => {
    expect(parseQuery("from:alice")).toEqual({ terms: [], from: "alice" });
  });

  it("splits punctuated words as the index does", () => {
    expect(parseQuery("foo-bar").terms).toEqual([{ kind: "phrase", words: ["foo", "bar"] }]);
    expect(parseQuery('"single"').terms).toEqual([{ kind: "word", text: "single", prefix: false }]);
  });

  it.each([
    ["", "search for something"],
    ["   ", "search for something"],
    ["!!! 😀", "nothing to search for"],
    ['"open phrase', "closing quote"],
    ["from:", "from: needs a value"],
    ["in:#", "in: needs a value"],
    ["before:2026-02-30", "YYYY-MM-DD"],
    ["after:yesterday", "YYYY-MM-DD"],
    ["from:a from:b", "once"],
    ["after:2026-03-05 before:2026-03-05", "after:"],
    ["x".repeat(501), "at most 500"],
  ])("refuses %j clearly", (q, message) => {
    expect(() => parseQuery(q)).toThrow(QueryError);
    expect(() => parseQuery(q)).toThrow(message);
  });
});

describe("toFts5Match", () => {
  it("quotes every word, so FTS5 syntax in the input stays text", () => {
    expect(toFts5Match(parseQuery('NOT AND OR NEAR(a b) col:x "a""b" ^c').terms)).toBe(
      // NEAR(a and col:x are words joined by punctuation: phrases, as the index stores them
      'content : ("NOT" "AND" "OR" "NEAR a" "b" "col x" "a" "b" "c")',
    );
    expect(toFts5Match(parseQuery("dep*").terms)).toBe('content : ("dep" *)');
    expect(toFts5Match(parseQuery("dep*").terms, 42)).toBe('author : "u42" AND content : ("dep" *)');
    expect(toFts5Match([], 7)).toBe('author : "u7"');
    expect(toFts5Match([])).toBeNull();
  });
});

describe("the MATCH string against a real FTS5 table", () => {
  const db = new Database(":memory:");
  db.exec(`CREATE VIRTUAL TABLE t USING fts5(content, author, content = '', contentless_delete = 1,
           tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')`);
  const insert = db.prepare("INSERT INTO t (rowid, content, author) VALUES (?, ?, ?)");
  const rows = ["Café au lait", "deploying staging", "rolled back the deploy", 'a "quoted" AND NOT', "u1 u2"];
  rows.forEach((s, i) => insert.run(i + 1, s, `u${(i % 2) + 1}`));
  const content = (rowid: number) => rows[rowid - 1]!;
  const match = db.prepare<[string], { rowid: number }>("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid");
  afterAll(() => db.close());
  const find = (q: string, author: number | null = null) =>
    match.all(toFts5Match(parseQuery(q).terms, author)!).map((r) => content(r.rowid));

  it("finds by word, prefix, phrase and without diacritics", () => {
    expect(find("cafe")).toEqual(["Café au lait"]);
    expect(find("deploy*")).toEqual(["deploying staging", "rolled back the deploy"]);
    expect(find('"back the"')).toEqual(["rolled back the deploy"]);
    expect(find('"the back"')).toEqual([]);
    expect(find("AND NOT")).toEqual(['a "quoted" AND NOT']);
  });

  it("keeps words to the text and from: to the author token", () => {
    expect(find("deploy*", 1)).toEqual(["rolled back the deploy"]);
    expect(find("deploy*", 2)).toEqual(["deploying staging"]);
    expect(find("u1")).toEqual(["u1 u2"]); // a word is never matched against the author column
    expect(match.all(toFts5Match([], 2)!).map((r) => r.rowid)).toEqual([2, 4]);
  });

  it("for any input, either refuses with a QueryError or builds a MATCH that FTS5 accepts", () => {
    const syntax = fc.constantFrom(
      ...'"*():^-+{}[],.:AND OR NOT NEAR from: in:@ in:# before: after: é ü 😀 \u0000\t'.split(" "),
    );
    const input = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 60 }),
      fc.array(fc.oneof(syntax, fc.string({ maxLength: 6 })), { maxLength: 12 }).map((a) => a.join(" ")),
      fc.string({ unit: "binary", maxLength: 40 }),
    );
    fc.assert(
      fc.property(input, (q) => {
        let terms;
        try {
          terms = parseQuery(q).terms;
        } catch (err) {
          expect(err).toBeInstanceOf(QueryError);
          expect((err as Error).message.length).toBeGreaterThan(5);
          return;
        }
        const m = toFts5Match(terms);
        if (m !== null) expect(() => match.all(m)).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });
});

describe("highlightRanges", () => {
  it("marks words, prefixes and phrases, folding case and diacritics", () => {
    const content = "Le CAFÉ: deploying, deploy; rolled back, back";
    const ranges = highlightRanges(content, parseQuery('cafe deploy* "rolled back"').terms);
    expect(ranges.map(([s, e]) => content.slice(s, e))).toEqual(["CAFÉ", "deploying", "deploy", "rolled", "back"]);
    expect(splitHighlights("ab cd", [[3, 5]])).toEqual([
      { text: "ab ", hit: false },
      { text: "cd", hit: true },
    ]);
  });
});
