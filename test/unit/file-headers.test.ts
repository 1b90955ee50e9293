// The pure parts of file serving and uploads: single Range answers (RFC 9110), Content-Disposition with an
// RFC 6266 filename*, file names made safe, sizes written for people.
import { parse as parseDisposition } from "content-disposition";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contentDisposition, parseRange } from "@/lib/http/file-headers";
import { sanitizeFileName } from "@/lib/files/names";
import { formatBytes } from "@/lib/client/uploads";

describe("parseRange", () => {
  it("answers one bytes= range, open-ended and suffix forms included", () => {
    expect(parseRange("bytes=0-9", 100)).toEqual({ kind: "partial", start: 0, end: 9 });
    expect(parseRange("bytes=90-", 100)).toEqual({ kind: "partial", start: 90, end: 99 });
    expect(parseRange("bytes=90-500", 100)).toEqual({ kind: "partial", start: 90, end: 99 });
    expect(parseRange("bytes=-10", 100)).toEqual({ kind: "partial", start: 90, end: 99 });
  });
  it("serves the whole file for no range, several ranges, other units or nonsense", () => {
    for (const h of [null, "", "bytes=0-1,5-6", "items=0-1", "bytes=a-b", "bytes=-"]) {
      expect(parseRange(h, 100)).toEqual({ kind: "whole" });
    }
  });
  it("is unsatisfiable past the end, for an empty suffix, and (range-parser's reading) a suffix longer than the file or a backwards range", () => {
    expect(parseRange("bytes=100-", 100)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=-0", 100)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=-500", 100)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=9-3", 100)).toEqual({ kind: "unsatisfiable" });
  });
  it("never answers a range outside the file", () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 1e9 }), (h, size) => {
        const r = parseRange(`bytes=${h}`, size);
        if (r.kind === "partial") expect(0 <= r.start && r.start <= r.end && r.end < size).toBe(true);
      }),
    );
  });
});

describe("contentDisposition", () => {
  it("gives a Latin-1 filename and the exact UTF-8 filename*, read back as the same name", () => {
    for (const name of ['naïve "quote" 履歴.txt', "it's (1).png", "plain.txt"]) {
      for (const kind of ["inline", "attachment"] as const) {
        const header = contentDisposition(kind, name);
        // a header value Node sends as it is: Latin-1 at most (the fallback), the exact name in filename*
        expect([...header].every((c) => c.charCodeAt(0) <= 0xff)).toBe(true);
        const parsed = parseDisposition(header);
        expect(parsed.type).toBe(kind);
        expect(parsed.parameters.filename).toBe(name);
      }
    }
    expect(contentDisposition("attachment", "履歴.txt")).toContain("filename*=UTF-8''%E5%B1%A5%E6%AD%B4.txt");
  });
});

describe("sanitizeFileName", () => {
  it("keeps the last path segment, letters of every script, and the extension of a long name", () => {
    expect(sanitizeFileName("../../a/b/c.txt")).toBe("c.txt");
    expect(sanitizeFileName("C:\\Users\\x\\Résumé.pdf")).toBe("Résumé.pdf");
    expect(sanitizeFileName(undefined)).toBe("file");
    expect(sanitizeFileName(" \u0000\u200b ")).toBe("file");
    const long = sanitizeFileName(`${"a".repeat(300)}.tar.gz`);
    expect([...long]).toHaveLength(200);
    expect(long.endsWith(".gz")).toBe(true);
  });
  it("never returns a name with a separator, a control character or a leading dot", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme-composite", maxLength: 400 }), (raw) => {
        const name = sanitizeFileName(raw);
        expect(name.length).toBeGreaterThan(0);
        expect(name).not.toMatch(/[/\\\p{Cc}\p{Cf}]|^\./u);
        expect([...name].length).toBeLessThanOrEqual(200);
      }),
    );
  });
});

describe("formatBytes", () => {
  it("writes sizes as people read them", () => {
    expect([0, 14, 1023, 1024, 1536, 10 * 1024, 26214400].map(formatBytes)).toEqual([
      "0 B",
      "14 B",
      "1023 B",
      "1.0 KB",
      "1.5 KB",
      "10 KB",
      "25 MB",
    ]);
  });
});
