// How messages and notices look in the terminal. Everything from the server is sanitized here.
import { DEFAULT_ROOM, type Message } from "../lib/protocol";
import { sanitize, sanitizeInline } from "./sanitize";

/** The line the non-TTY client prints once a connection's history has been printed. */
export const CONNECTED_LINE = "connected";

export interface RenderOptions {
  /** one line per message: newlines in the content are shown as the two characters `\n` */
  oneLine?: boolean;
  /** ANSI colours (TTY only) */
  color?: boolean;
  /** the user's own name, shown in a different colour */
  self?: string;
  /** leave out the `#room ` prefix (the screen shows one room at a time and says which) */
  hideRoom?: boolean;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** Local wall-clock HH:MM of an ISO timestamp, or `--:--` if it is not one. */
export function formatTime(timestamp: string): string {
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) return "--:--";
  return `${pad2(date.getHours())}:${pad2(date.getMinutes())}`;
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

/** `[HH:MM] username: content` (with `#room ` before the name for rooms other than general). */
export function formatMessage(message: Message, options: RenderOptions = {}): string {
  const time = `[${formatTime(message.timestamp)}]`;
  const room =
    !options.hideRoom && message.room && message.room !== DEFAULT_ROOM ? `#${sanitizeInline(message.room)} ` : "";
  const username = sanitizeInline(message.username);
  const lines = sanitize(message.content).split("\n");
  const content = options.oneLine ? lines.join("\\n") : lines.join(`\n${" ".repeat(time.length + 1)}`);
  if (!options.color) return `${time} ${room}${username}: ${content}`;
  const name = message.username === options.self ? style.green(username) : style.cyan(username);
  return `${style.dim(time)} ${style.dim(room)}${style.bold(name)}: ${content}`;
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
