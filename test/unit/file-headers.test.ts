// The pure parts of file serving and uploads: single Range answers (RFC 9110), Content-Disposition with an
// RFC 6266 filename*, file names made safe, sizes written for people.
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
    expect(parseRange("bytes=-500", 100)).toEqual({ kind: "partial", start: 0, end: 99 });
  });
  it("serves the whole file for no range, several ranges, other units or nonsense", () => {
    for (const h of [null, "", "bytes=0-1,5-6", "items=0-1", "bytes=a-b", "bytes=-", "bytes=9-3"]) {
      expect(parseRange(h, 100)).toEqual({ kind: "whole" });
    }
  });
  it("is unsatisfiable past the end or for an empty suffix", () => {
    expect(parseRange("bytes=100-", 100)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=-0", 100)).toEqual({ kind: "unsatisfiable" });
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
  it("gives an ASCII fallback and the exact UTF-8 name", () => {
    expect(contentDisposition("attachment", 'naïve "quote" 履歴.txt')).toBe(
      `attachment; filename="naive _quote_ __.txt"; filename*=UTF-8''na%C3%AFve%20%22quote%22%20%E5%B1%A5%E6%AD%B4.txt`,
    );
    expect(contentDisposition("inline", "it's (1).png")).toBe(
      `inline; filename="it's (1).png"; filename*=UTF-8''it%27s%20%281%29.png`,
    );
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
