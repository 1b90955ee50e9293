// A file's type from its first bytes (file-type), never from its name or the client's Content-Type. What
// file-type does not know and decodes as UTF-8 without a NUL is text; anything else is octet-stream.

/** how many leading bytes the sniffing needs (file-type reads at most this far for the formats we care about) */
export const SNIFF_BYTES = 4100;
export const UNKNOWN_TYPE = "application/octet-stream";

function looksLikeText(head: Uint8Array): boolean {
  if (head.includes(0)) return false;
  try {
    // stream: a character cut at the end of the head is not an error
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

export async function sniffType(head: Uint8Array): Promise<string> {
  // loaded on the first upload, not at start-up
  const { fileTypeFromBuffer } = await import("file-type");
  const found = await fileTypeFromBuffer(head);
  if (found) return found.mime;
  return looksLikeText(head) ? "text/plain" : UNKNOWN_TYPE;
}
