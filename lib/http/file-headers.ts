// The headers a served file carries (SPEC.md "Files"), and the one Range form worth honouring: a single
// `bytes=` range (RFC 9110 §14.1.2, parsed by range-parser). Anything else — several ranges, other units,
// nonsense — is served whole, as the RFC allows; a range that starts past the end is 416.
import formatDisposition from "content-disposition";
import rangeParser from "range-parser";

/** On every response of a file URL, refusals included: never sniffed, never a document that can run script. */
export const FILE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "default-src 'none'; sandbox",
  "Cross-Origin-Resource-Policy": "same-origin",
};

export type RangeAnswer =
  { kind: "whole" } | { kind: "partial"; start: number; end: number } | { kind: "unsatisfiable" };

/** What to answer `header` (a Range value, or null) with, for a file of `size` bytes; `end` is inclusive. */
export function parseRange(header: string | null, size: number): RangeAnswer {
  if (!header) return { kind: "whole" };
  const ranges = rangeParser(size, header, { combine: true });
  if (ranges === -1) return { kind: "unsatisfiable" };
  // malformed (-2), another unit, or several ranges: the whole file, as RFC 9110 allows
  if (ranges === -2 || ranges.type !== "bytes" || ranges.length !== 1) return { kind: "whole" };
  const [range] = ranges;
  return range ? { kind: "partial", start: range.start, end: range.end } : { kind: "whole" };
}

/** Content-Disposition (RFC 6266): inline or attachment, with an ASCII filename and the exact UTF-8 filename*. */
export function contentDisposition(kind: "inline" | "attachment", name: string): string {
  return formatDisposition(name, { type: kind });
}
