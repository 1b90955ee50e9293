// How /search prints its results: one line each, `#room YYYY-MM-DD HH:MM name: content`, the matched words in
// inverse video (or between * when there is no colour). The ranges index the raw content, so it is cut first
// and each part sanitized after: escape sequences in a message cannot shift or fake a highlight.
import type { SearchResult } from "../lib/protocol";
import { splitHighlights } from "../lib/search/highlight";
import { authorLabel, formatTime, style } from "./render";
import { sanitizeInline } from "./sanitize";

const pad2 = (n: number) => String(n).padStart(2, "0");

/** Local date and time, `YYYY-MM-DD HH:MM` (a result may be years old). */
export function formatDateTime(timestamp: string): string {
  const d = new Date(timestamp);
  if (Number.isNaN(d.getTime())) return "----------  --:--";
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${formatTime(timestamp)}`;
}

const inverse = (text: string) => `\u001b[7m${text}\u001b[27m`;

/** `#ops` for a room, `@bob` for a DM with bob (the other of its two names). */
export function roomLabel(room: string, me: string): string {
  if (!room.startsWith("dm:")) return `#${sanitizeInline(room)}`;
  const other = room
    .slice(3)
    .split(":")
    .find((n) => n !== me.toLowerCase());
  return `@${sanitizeInline(other ?? me)}`;
}

export function formatSearchResult(result: SearchResult, opts: { color?: boolean; me: string }): string {
  const { message } = result;
  const content = splitHighlights(message.content, result.highlights)
    .map(({ text, hit }) => {
      const clean = sanitizeInline(text);
      if (!hit) return clean;
      return opts.color ? inverse(style.bold(clean)) : `*${clean}*`;
    })
    .join("");
  const where = `${roomLabel(message.room, opts.me)} ${formatDateTime(message.timestamp)}`;
  const name = authorLabel(message);
  return opts.color ? `${style.dim(where)} ${style.bold(name)}: ${content}` : `${where} ${name}: ${content}`;
}
