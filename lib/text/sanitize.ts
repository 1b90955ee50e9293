// Display safety for text that came from the server: usernames, message content, error details and room
// names are shown only after escape sequences and control characters are removed. In the terminal a message
// then cannot move the cursor, retitle the window, rewrite earlier lines or hide itself; in the browser no
// control character renders as a box. Newline and tab survive. Pure: runs in Node and the browser.

/** A whole escape sequence introduced by ESC (7-bit) or by its C1 equivalent (8-bit). */
const ESCAPE_SEQUENCE = new RegExp(
  [
    // CSI: ESC [ or 0x9B, parameter bytes, intermediate bytes, one final byte (missing at end of input)
    "(?:\\u001b\\[|\\u009b)[\\u0030-\\u003f]*[\\u0020-\\u002f]*[\\u0040-\\u007e]?",
    // OSC, DCS, SOS, PM, APC: everything up to BEL or ST (ESC \ or 0x9C), or to the end if unterminated
    "(?:\\u001b[\\]PX^_]|[\\u0090\\u0098\\u009d\\u009e\\u009f])[\\s\\S]*?(?:\\u0007|\\u001b\\\\|\\u009c|$)",
    // nF (ESC, intermediates, final) and the two-byte Fp / Fe / Fs forms (ESC 7, ESC c, ESC M, …)
    "\\u001b[\\u0020-\\u002f]*[\\u0030-\\u007e]?",
  ].join("|"),
  "g",
);

/** C0 controls except \t (0x09) and \n (0x0A), DEL, and C1 controls. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `text` with every terminal control sequence and control character removed (\n and \t kept). */
export function sanitize(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, "").replace(CONTROL_CHARACTER, "");
}

/** sanitize, then fold newlines and tabs into spaces: for names and one-line notices. */
export function sanitizeInline(text: string): string {
  return sanitize(text).replace(/[\n\t]+/g, " ");
}
