// How messages and notices look in the terminal. Everything from the server is sanitized here.
import stringWidth from "string-width";
import { markdownToText, type TextStyles } from "../lib/markdown/plain-text";
import { formatBytes } from "../lib/client/uploads";
import { DEFAULT_ROOM, type FileInfo, type Message, type Reaction, type ReplyRef } from "../lib/protocol";
import { mentionsUser } from "../lib/notify/mentions";
import { authorLabel as sharedAuthorLabel } from "../lib/text/author";
import { formatStamp, formatTime } from "./dates";
import { colorName } from "./name-colors";
import { sanitize, sanitizeInline } from "./sanitize";

/** The line the non-TTY client prints once a connection's history has been printed. */
export const CONNECTED_LINE = "connected";

export interface RenderOptions {
  /** one line per message: newlines in the content are shown as the two characters `\n` */
  oneLine?: boolean;
  /** ANSI colours (TTY only) */
  color?: boolean;
  /** the user's own name */
  self?: string;
  /** leave out the `#room ` prefix (the screen shows one room at a time and says which) */
  hideRoom?: boolean;
  /** the number the screen gave this message (`[3] ` before it), so commands can name it */
  number?: number;
  /** the number of the message it replies to, when that one is on screen too */
  replyNumber?: number;
  /** show the date too for a message from before this day (the screen; pipe lines keep `[HH:MM]`) */
  now?: Date;
  /** the server's URL, put before a file's path so that it can be opened from the terminal */
  baseUrl?: string;
  /** the terminal's width: a reply's quote line is cut to one row of it, so it never runs on under the message above */
  columns?: number;
}

export { formatTime } from "./dates";

/** Whether a new message should ring the terminal bell: it mentions `me` (the server says so), not by `me`. */
export function ringsBell(message: Message, me: string, bell: boolean): boolean {
  return bell && !message.deleted && message.username !== me && mentionsUser(message, me);
}

const ansi = (code: string) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;
export const style = {
  dim: ansi("2"),
  bold: ansi("1"),
  red: ansi("31"),
  green: ansi("32"),
  yellow: ansi("33"),
  cyan: ansi("36"),
};

/** Who a message is from, as every terminal line names it (lib/text/author.ts), made safe to print. */
export const authorLabel = (message: Pick<Message, "username" | "bot">): string =>
  sanitizeInline(sharedAuthorLabel(message));

/** What leads a message's line: its number on screen (`[12] `) and its time (`[14:05]`). */
function stamp(message: Message, options: RenderOptions): { number: string; time: string } {
  const number = options.number === undefined ? "" : `[${options.number}] `;
  const time = `[${options.now ? formatStamp(message.timestamp, options.now) : formatTime(message.timestamp)}]`;
  return { number, time };
}

/** The column a message's later lines (and the rows its first line wraps into) start at: under the name. */
export function messageIndent(message: Message, options: RenderOptions = {}): number {
  const { number, time } = stamp(message, options);
  return number.length + time.length + 1;
}

/**
 * A message's line: `[HH:MM] username: content` (with `#room ` before the name for rooms other than general);
 * a webhook's post shows its bot name marked `[bot]` instead (`[HH:MM] Grafana [bot]: …`), never a username.
 */
export function formatMessage(message: Message, options: RenderOptions = {}): string {
  const { number, time } = stamp(message, options);
  const room =
    !options.hideRoom && message.room && message.room !== DEFAULT_ROOM ? `#${sanitizeInline(message.room)} ` : "";
  const username = authorLabel(message);
  const indent = " ".repeat(messageIndent(message, options));
  const body = messageBody(message, options, indent);
  const above =
    message.replyTo && !message.deleted && !options.oneLine ? `${replyLine(message.replyTo, options, indent)}\n` : "";
  if (!options.color) return `${above}${number}${time} ${room}${username}: ${body}`;
  // a message that mentions the user stands out: its name and text in yellow (no name colour is yellow)
  const mentioned =
    options.self !== undefined && message.username !== options.self && mentionsUser(message, options.self);
  const name = message.bot
    ? `${colorName(message.bot.name, sanitizeInline(message.bot.name))} ${style.dim("[bot]")}`
    : mentioned
      ? style.bold(style.yellow(username))
      : colorName(message.username, username);
  const shown = mentioned ? style.yellow(body) : body;
  return `${above}${number && style.dim(number)}${style.dim(time)} ${style.dim(room)}${name}: ${shown}`;
}

/** How Markdown looks with colour on (without it, the bare text: see markdownToText). */
const ANSI_MARKDOWN: TextStyles = {
  strong: style.bold,
  em: ansi("3"),
  strike: ansi("9"),
  code: style.yellow,
  codeBlock: style.yellow,
  url: ansi("4"),
};

/**
 * The content (continuation lines indented under it), `(edited)`, reactions; or the tombstone. On screen the
 * Markdown is rendered as text (URLs kept); one-line output (pipes, scripts) keeps the source as sent.
 */
function messageBody(message: Message, options: RenderOptions, indent: string): string {
  const dim = options.color ? style.dim : (text: string) => text;
  if (message.deleted) return dim("× message deleted");
  const source = sanitize(message.content);
  const lines = options.oneLine
    ? source.split("\n")
    : markdownToText(source, options.color ? ANSI_MARKDOWN : {}).split("\n");
  // blank lines (between paragraphs) stay empty: no trailing spaces
  const content = options.oneLine
    ? lines.join("\\n")
    : lines.map((l, i) => (i === 0 || l === "" ? l : indent + l)).join("\n");
  const edited = message.editedAt ? ` ${dim("(edited)")}` : "";
  const reactions = message.reactions.length > 0 ? ` ${dim(formatReactions(message.reactions))}` : "";
  const files = message.files.map((f) => formatAttachment(f, options.baseUrl ?? "", dim));
  // a message of files alone: its first file on the message's line
  if (content === "" && files.length > 0)
    return [files.join(options.oneLine ? " " : `\n${indent}`), edited, reactions].join("");
  const attached = files.map((f) => (options.oneLine ? ` ${f}` : `\n${indent}${f}`)).join("");
  return `${content}${edited}${reactions}${attached}`;
}

/** `📎 notes.txt (1.2 KB) http://host/api/files/…`: a file's name, size and where to fetch it. */
export function formatAttachment(file: FileInfo, baseUrl: string, dim: (s: string) => string = (s) => s): string {
  return `📎 ${sanitizeInline(file.name)} ${dim(`(${formatBytes(file.size)})`)} ${dim(`${baseUrl}${file.url}`)}`;
}

/** `[👍 2 🎉 1]`, in the server's order. */
export function formatReactions(reactions: readonly Reaction[]): string {
  return `[${reactions.map((r) => `${sanitizeInline(r.emoji)} ${r.count}`).join(" ")}]`;
}

/** How much of the message replied to is quoted above a reply. */
export const QUOTE_MAX = 60;

/**
 * `↳ [2] alice: first line…` above a reply (not above its tombstone), indented under the time; `(deleted)` once
 * the parent is gone.
 */
function replyLine(parent: ReplyRef, options: RenderOptions, indent: string): string {
  const number = options.replyNumber === undefined ? "" : `[${options.replyNumber}] `;
  const text = parent.content === "" ? "(deleted)" : quote(parent.content);
  const author = authorLabel({
    username: parent.username,
    bot: parent.botName ? { name: parent.botName, iconUrl: null } : null,
  });
  const whole = `${indent.slice(2)}↳ ${number}${author}: ${text}`;
  const line = options.columns ? cutToWidth(whole, options.columns) : whole;
  return options.color ? style.dim(line) : line;
}

/** made once: a Segmenter takes tens of microseconds to build */
const graphemes = new Intl.Segmenter();

/** `text` cut to `columns` terminal columns, by whole graphemes, `…` last when anything was left out. */
export function cutToWidth(text: string, columns: number): string {
  if (stringWidth(text) <= columns) return text;
  let kept = "";
  let width = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = stringWidth(segment);
    if (width + w > columns - 1) break;
    kept += segment;
    width += w;
  }
  return `${kept.trimEnd()}…`;
}

/** The first line of `content`, sanitized, markup left out, cut to `max` characters; `…` when anything was left out. */
export function quote(content: string, max = QUOTE_MAX): string {
  const [first = "", ...rest] = markdownToText(sanitize(content)).trim().split("\n");
  const chars = [...sanitizeInline(first).trim()]; // by code point: an emoji is never cut in half
  if (chars.length > max)
    return `${chars
      .slice(0, max - 1)
      .join("")
      .trimEnd()}…`;
  return rest.length > 0 ? `${chars.join("")}…` : chars.join("");
}

/** The first characters of a message, on one line, for notices about it. */
export function preview(content: string, max = 40): string {
  const flat = sanitizeInline(content).trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export interface ParsedMessageLine {
  time: string;
  room?: string;
  username: string;
  content: string;
}

const MESSAGE_LINE = /^\[(\d\d:\d\d|--:--)\] (?:#(\S+) )?([A-Za-z0-9_.-]+): (.*)$/;

/** The parts of a line printed by `formatMessage(m, { oneLine: true })`, or null for any other line. */
export function parseMessageLine(line: string): ParsedMessageLine | null {
  const match = MESSAGE_LINE.exec(line);
  if (!match) return null;
  const [, time = "", room, username = "", content = ""] = match;
  return room === undefined ? { time, username, content } : { time, room, username, content };
}
