// The terminal's sanitizing is shared with the web UI (control characters must not show as boxes there either).
export { sanitize, sanitizeInline } from "../lib/text/sanitize";
