// Per-user name colours for the terminal: a stable hash of the lower-cased username picks one of a few
// ANSI colours, so a name reads the same colour in every session and on every machine. Only the basic
// colours that stay legible on both dark and light backgrounds (no yellow, white, black or dark blue).

/** SGR foreground codes: red, green, magenta, cyan, bright blue, bright magenta, bright red, bright cyan. */
export const NAME_COLORS = ["31", "32", "35", "36", "94", "95", "91", "96"] as const;

/** FNV-1a over the code points of the lower-cased name: cheap, stable, well spread for short names. */
function nameHash(username: string): number {
  let hash = 0x811c9dc5;
  for (const unit of username.toLowerCase()) {
    hash ^= unit.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The SGR code of `username`'s colour. */
export function nameColorCode(username: string): string {
  return NAME_COLORS[nameHash(username) % NAME_COLORS.length] ?? "36";
}

/** `text` (the sanitized name) in `username`'s colour, bold. */
export function colorName(username: string, text: string): string {
  return `\u001b[1;${nameColorCode(username)}m${text}\u001b[0m`;
}
