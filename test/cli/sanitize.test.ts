import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sanitize, sanitizeInline } from "../../cli/sanitize";

const ESC = "\u001b";
/** Anything a terminal would act on: C0 except \t and \n, DEL, C1 (which includes 8-bit CSI/OSC/ST). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe("sanitize", () => {
  it("keeps ordinary text, unicode, newlines and tabs", () => {
    expect(sanitize("Hello, wörld! 👋 日本語")).toBe("Hello, wörld! 👋 日本語");
    expect(sanitize("line one\nline two\tcolumn")).toBe("line one\nline two\tcolumn");
  });

  it("removes CSI sequences (colours, cursor movement, erase)", () => {
    expect(sanitize(`${ESC}[31mred${ESC}[0m`)).toBe("red");
    expect(sanitize(`a${ESC}[2J${ESC}[H${ESC}[1;1Hb`)).toBe("ab");
    expect(sanitize(`x${ESC}[?25l${ESC}[38;2;255;0;0my`)).toBe("xy");
    expect(sanitize(`cut${ESC}[`)).toBe("cut");
  });

  it("removes OSC sequences with BEL or ST terminators, and unterminated ones", () => {
    expect(sanitize(`before${ESC}]0;new title\u0007after`)).toBe("beforeafter");
    expect(sanitize(`${ESC}]8;;https://evil.example${ESC}\\link${ESC}]8;;${ESC}\\`)).toBe("link");
    expect(sanitize(`ok${ESC}]52;c;Y3VybCBldmlsIHwgc2g=`)).toBe("ok");
  });

  it("removes DCS / APC / PM / SOS strings and two-byte escapes", () => {
    expect(sanitize(`a${ESC}Pq#0;2;0;0;0${ESC}\\b`)).toBe("ab");
    expect(sanitize(`a${ESC}_payload${ESC}\\b`)).toBe("ab");
    expect(sanitize(`a${ESC}7${ESC}8${ESC}c${ESC}Mb`)).toBe("ab");
    expect(sanitize(`a${ESC}(0b`)).toBe("ab");
    expect(sanitize(`trailing${ESC}`)).toBe("trailing");
  });

  it("removes C1 controls including 8-bit CSI and OSC", () => {
    expect(sanitize("a\u009b31mb")).toBe("ab");
    expect(sanitize("a\u009d0;title\u0007b")).toBe("ab");
    expect(sanitize("a\u0085b\u0084c")).toBe("abc");
    expect(sanitize("a\u009fapplication\u009cb")).toBe("ab");
  });

  it("removes carriage returns, backspaces, bells and DEL", () => {
    expect(sanitize("fake\rreal")).toBe("fakereal");
    expect(sanitize("abc\b\b\bxyz")).toBe("abcxyz");
    expect(sanitize("ding\u0007\u007f!")).toBe("ding!");
    expect(sanitize("nul\u0000byte\u000b\u000c")).toBe("nulbyte");
  });

  it("sanitizeInline also folds newlines and tabs into spaces", () => {
    expect(sanitizeInline(`a\n\tb${ESC}[1mc`)).toBe("a bc");
  });

  it("never leaves ESC, C0 (other than \\n and \\t), DEL or C1 in its output", () => {
    const interesting = fc.constantFrom(
      ESC,
      "[",
      "]",
      "P",
      "_",
      "^",
      "X",
      "\\",
      "\u0007",
      "\u009b",
      "\u009c",
      "\u009d",
      "\u0090",
      "\n",
      "\t",
      "\r",
      "\u007f",
      "0",
      ";",
      "m",
      "a",
      "é",
      "😀",
    );
    const text = fc.oneof(
      fc.string({ unit: "binary" }),
      fc.string({ unit: interesting }),
      fc
        .array(fc.oneof(fc.string(), fc.string({ unit: interesting })), { maxLength: 8 })
        .map((parts) => parts.join("")),
    );
    fc.assert(
      fc.property(text, (input) => {
        const output = sanitize(input);
        expect(output).not.toMatch(FORBIDDEN);
        expect(sanitizeInline(input)).not.toMatch(/[\n\t]/);
      }),
      { numRuns: 2000 },
    );
  });

  it("is the identity on text without control characters, and idempotent", () => {
    const printable = fc.string({ unit: "grapheme" }).filter((s) => !FORBIDDEN.test(s));
    fc.assert(fc.property(printable, (input) => sanitize(input) === input));
    fc.assert(fc.property(fc.string({ unit: "binary" }), (input) => sanitize(sanitize(input)) === sanitize(input)));
  });
});
