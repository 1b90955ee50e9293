// The headers a served file carries (SPEC.md "Files"), and the one Range form worth honouring: a single
// `bytes=` range (RFC 9110 §14.1.2). Anything else — several ranges, other units, nonsense — is served whole,
// as the RFC allows; a range that starts past the end is 416.

/** On every response of a file URL, refusals included: never sniffed, never a document that can run script. */
export const FILE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "default-src 'none'; sandbox",
  "Cross-Origin-Resource-Policy": "same-origin",
};

export type RangeAnswer =
  { kind: "whole" } | { kind: "partial"; start: number; end: number } | { kind: "unsatisfiable" };

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

/** What to answer `header` (a Range value, or null) with, for a file of `size` bytes; `end` is inclusive. */
export function parseRange(header: string | null, size: number): RangeAnswer {
  const m = header?.trim().match(SINGLE_RANGE);
  if (!m) return { kind: "whole" };
  const [, first = "", last = ""] = m;
  if (first === "" && last === "") return { kind: "whole" };
  if (first === "") {
    // a suffix: the last N bytes
    const n = Number(last);
    if (n === 0) return { kind: "unsatisfiable" };
    return { kind: "partial", start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== "" && Number(last) < start) return { kind: "whole" }; // invalid: ignored, as RFC 9110 says
  if (start >= size) return { kind: "unsatisfiable" };
  return { kind: "partial", start, end };
}

/** A name for the quoted `filename=` fallback: ASCII only, no quotes or backslashes. */
const asciiFallback = (name: string) =>
  name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\x20-\x7e]/g, "_")
    .replace(/["\\]/g, "_");

/** RFC 5987's attr-char: what may stay unencoded in `filename*` */
const encodeExtValue = (name: string) =>
  encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Content-Disposition (RFC 6266): inline or attachment, with an ASCII filename and the exact UTF-8 filename*. */
export function contentDisposition(kind: "inline" | "attachment", name: string): string {
  return `${kind}; filename="${asciiFallback(name)}"; filename*=UTF-8''${encodeExtValue(name)}`;
}
