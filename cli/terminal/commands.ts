// The /commands: one table, each entry its name and aliases, its line in /help, how its arguments parse
// and the small function that runs it. `parseInput` reads a submitted line with it and /help is printed
// from it, so a command is added in one place.
import { contentSchema, describeZodError, isEmoji, roomNameSchema, usernameSchema } from "../../lib/protocol";
import { parseRoomRef, type RoomRef } from "../rooms";
import { sanitizeInline } from "../sanitize";
import { deleteMessage, editMessage, reply, toggleReaction } from "./actions";
import { runTask, type TerminalChat } from "./context";
import { showRooms, showWho } from "./lists";
import { parseNick, setNick, showProfile } from "./profile";
import { search } from "./search";
import { upload } from "./upload";
import { emojiOfShortcode } from "../../lib/markdown/shortcodes";

export type Command =
  | { name: "help" }
  | { name: "quit" }
  | { name: "logout" }
  | { name: "rooms" }
  | { name: "who" }
  | { name: "more" }
  | { name: "leave"; room?: string }
  | { name: "join"; target: RoomRef }
  | { name: "switch"; target: RoomRef }
  | { name: "create"; room: string; private: boolean }
  | { name: "invite"; username: string }
  | { name: "dm"; username: string }
  | { name: "edit"; number?: number; content: string }
  | { name: "delete"; number?: number }
  | { name: "react"; number: number; emoji: string }
  | { name: "reply"; number: number; content: string }
  | { name: "search"; query?: string }
  | { name: "upload"; path: string; caption: string }
  | { name: "me" }
  | { name: "nick"; displayName: string | null };

export type ParsedInput =
  | { kind: "empty" }
  | { kind: "message"; content: string }
  | { kind: "command"; command: Command }
  | { kind: "error"; message: string };

type CommandName = Command["name"];
type CommandOf<N extends CommandName> = Extract<Command, { name: N }>;
interface ParseError {
  error: string;
}

interface CommandSpec<N extends CommandName> {
  name: N;
  /** other names typed for it (not all of them shown in /help) */
  aliases?: readonly string[];
  /** the left column of its /help line */
  synopsis: string;
  help: string;
  /** what "Usage: …" says when its arguments do not fit (default: the synopsis) */
  usage?: string;
  /**
   * `args`: the words after the name; `rest`: the text after the name as typed (spacing kept, for message
   * text). `usage()` is the usage error, `usage(detail)` the same after what was wrong.
   */
  parse: (args: readonly string[], usage: (detail?: string) => ParseError, rest: string) => CommandOf<N> | ParseError;
  /** Runs it; a promise is its work, left to run on (failures are printed). */
  run: (chat: TerminalChat, command: CommandOf<N>) => void | Promise<void>;
}

type AnyCommandSpec = { [N in CommandName]: CommandSpec<N> }[CommandName];

/** `/join <room>` and `/switch <room>`: one room reference. */
function oneRoomRef(args: readonly string[], usage: (detail?: string) => ParseError): RoomRef | ParseError {
  if (args.length !== 1 || args[0] === undefined) return usage();
  const target = parseRoomRef(args[0]);
  return "error" in target ? usage(target.error) : target;
}

/** `/invite <user>` and `/dm <user>`: one username, with or without `@`. */
function oneUser(args: readonly string[], usage: () => ParseError): string | ParseError {
  if (args.length !== 1 || args[0] === undefined) return usage();
  const user = usernameSchema.safeParse(args[0].replace(/^@/, ""));
  return user.success ? user.data : { error: user.error.issues[0]?.message ?? "bad username" };
}

function parseCreate(args: readonly string[], usage: () => ParseError): CommandOf<"create"> | ParseError {
  const flags = args.filter((a) => a.startsWith("-"));
  const names = args.filter((a) => !a.startsWith("-"));
  const unknown = flags.filter((f) => f !== "--private" && f !== "-p");
  if (names.length !== 1 || names[0] === undefined || unknown.length > 0) return usage();
  const room = roomNameSchema.safeParse(names[0].replace(/^#/, ""));
  if (!room.success) return { error: room.error.issues[0]?.message ?? "bad room name" };
  return { name: "create", room: room.data, private: flags.length > 0 };
}

function parseLeave(args: readonly string[], usage: () => ParseError): CommandOf<"leave"> | ParseError {
  if (args.length === 0) return { name: "leave" };
  const target = args.length === 1 && args[0] !== undefined ? parseRoomRef(args[0]) : undefined;
  if (!target || "error" in target || target.kind !== "room") return usage();
  return { name: "leave", room: target.name };
}

/** `3` or `[3]`: a message's number on screen. */
function messageNumber(word: string | undefined): number | undefined {
  const match = word === undefined ? null : /^\[?([1-9]\d{0,8})\]?$/.exec(word);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** `rest` without its first word. */
const afterFirstWord = (rest: string): string => rest.replace(/^\S+\s*/, "");

/** Message text for /edit and /reply, checked as a message would be. */
function messageText(text: string): { content: string } | ParseError {
  const content = contentSchema.safeParse(text);
  return content.success ? { content: content.data } : { error: describeZodError(content.error) };
}

/** `/edit [n] <text>`: a number first (with text after it) names the message, else it is your last one. */
function parseEdit(args: readonly string[], usage: (detail?: string) => ParseError, rest: string) {
  const number = messageNumber(args[0]);
  if (number !== undefined && args.length === 1) return usage("give the new text after the number");
  const text = messageText(number === undefined ? rest : afterFirstWord(rest));
  if ("error" in text) return args.length === 0 ? usage() : text;
  const edit: CommandOf<"edit"> = { name: "edit", content: text.content };
  return number === undefined ? edit : { ...edit, number };
}

function parseDelete(
  args: readonly string[],
  usage: (detail?: string) => ParseError,
): CommandOf<"delete"> | ParseError {
  if (args.length === 0) return { name: "delete" };
  const number = messageNumber(args[0]);
  return number === undefined || args.length > 1 ? usage() : { name: "delete", number };
}

function parseReact(args: readonly string[], usage: (detail?: string) => ParseError): CommandOf<"react"> | ParseError {
  const number = messageNumber(args[0]);
  const [, typed] = args;
  if (number === undefined || typed === undefined || args.length > 2) return usage();
  // :tada: as messages show it: emoji are hard to type in many terminals
  const emoji = emojiOfShortcode(typed) ?? typed;
  if (!isEmoji(emoji)) return usage(`${sanitizeInline(typed)} is not one emoji (nor an emoji's :name:)`);
  return { name: "react", number, emoji };
}

function parseReply(args: readonly string[], usage: (detail?: string) => ParseError, rest: string) {
  const number = messageNumber(args[0]);
  if (number === undefined || args.length < 2) return usage();
  const text = messageText(afterFirstWord(rest));
  return "error" in text ? text : { name: "reply" as const, number, content: text.content };
}

/** `/upload <path> [caption]`: the path is the first word, or a quoted one ("my file.png"); `~/` is home. */
function parseUpload(_args: readonly string[], usage: (detail?: string) => ParseError, rest: string) {
  const match = /^(?:"([^"]+)"|'([^']+)'|(\S+))\s*([\s\S]*)$/.exec(rest.trim());
  const raw = match?.[1] ?? match?.[2] ?? match?.[3];
  if (!match || raw === undefined) return usage();
  const path = raw.startsWith("~/") && process.env.HOME ? `${process.env.HOME}${raw.slice(1)}` : raw;
  const caption = (match[4] ?? "").trim();
  if (caption) {
    const text = messageText(caption);
    if ("error" in text) return text;
  }
  return { name: "upload" as const, path, caption };
}

/** In /help order. */
const COMMANDS: readonly AnyCommandSpec[] = [
  {
    name: "rooms",
    synopsis: "/rooms",
    help: "your rooms and DMs (unread counts), public rooms to join",
    parse: () => ({ name: "rooms" }),
    run: (chat) => showRooms(chat),
  },
  {
    name: "join",
    aliases: ["j"],
    synopsis: "/join <room>",
    help: "join a public room if needed, and go there (/j)",
    usage: "/join <room>  (or /join @user for direct messages)",
    parse: (args, usage) => {
      const target = oneRoomRef(args, usage);
      return "error" in target ? target : { name: "join", target };
    },
    run: (chat, { target }) =>
      target.kind === "dm" ? chat.membership.openDm(target.user) : chat.membership.joinRoom(target.name),
  },
  {
    name: "switch",
    aliases: ["s"],
    synopsis: "/switch <room>",
    help: "go to one of your rooms, or to @user's DM (/s)",
    usage: "/switch <room>  (or /switch @user)",
    parse: (args, usage) => {
      const target = oneRoomRef(args, usage);
      return "error" in target ? target : { name: "switch", target };
    },
    run: (chat, { target }) => chat.membership.switchTo(target),
  },
  {
    name: "create",
    synopsis: "/create <room> [--private]",
    help: "create a room (a private one: by /invite only)",
    parse: parseCreate,
    run: (chat, { room, private: isPrivate }) => chat.membership.createRoom(room, isPrivate),
  },
  {
    name: "invite",
    synopsis: "/invite <user>",
    help: "add someone to the current room",
    parse: (args, usage) => {
      const username = oneUser(args, usage);
      return typeof username === "string" ? { name: "invite", username } : username;
    },
    run: (chat, { username }) => chat.membership.invite(username),
  },
  {
    name: "leave",
    aliases: ["part"],
    synopsis: "/leave [room]",
    help: "leave the current room (not #general, not DMs)",
    usage: "/leave [room]  (the current room by default)",
    parse: parseLeave,
    run: (chat, { room }) => chat.membership.leaveRoom(room),
  },
  {
    name: "dm",
    aliases: ["msg"],
    synopsis: "/dm <user>",
    help: "direct messages with someone (/msg)",
    parse: (args, usage) => {
      const username = oneUser(args, usage);
      return typeof username === "string" ? { name: "dm", username } : username;
    },
    run: (chat, { username }) => chat.membership.openDm(username),
  },
  {
    name: "reply",
    aliases: ["re"],
    synopsis: "/reply <n> <text>",
    help: "reply to message [n], quoting it (/re)",
    parse: parseReply,
    run: (chat, { number, content }) => reply(chat, number, content),
  },
  {
    name: "edit",
    synopsis: "/edit [n] <text>",
    help: "change your message [n] (default: your last one here)",
    parse: parseEdit,
    run: (chat, { number, content }) => editMessage(chat, number, content),
  },
  {
    name: "delete",
    aliases: ["del"],
    synopsis: "/delete [n]",
    help: "delete your message [n] (default: your last one here)",
    parse: parseDelete,
    run: (chat, { number }) => deleteMessage(chat, number),
  },
  {
    name: "react",
    synopsis: "/react <n> <emoji>",
    help: "add an emoji (or its :name:, :tada:) to message [n], or take yours back",
    parse: parseReact,
    run: (chat, { number, emoji }) => toggleReaction(chat, number, emoji),
  },
  {
    name: "who",
    synopsis: "/who",
    help: "who is in this room: online, or when last seen",
    parse: () => ({ name: "who" }),
    run: (chat) => showWho(chat),
  },
  {
    name: "me",
    synopsis: "/me",
    help: "your profile: display name, status",
    parse: () => ({ name: "me" }),
    run: (chat) => showProfile(chat),
  },
  {
    name: "nick",
    synopsis: "/nick <display name>",
    help: "the name shown beside your username (/nick alone removes it)",
    parse: (_args, usage, rest) => {
      const nick = parseNick(rest);
      return "error" in nick ? usage(nick.error) : { name: "nick", ...nick };
    },
    run: (chat, { displayName }) => setNick(chat, displayName),
  },
  {
    name: "search",
    aliases: ["find"],
    synopsis: "/search <query>",
    help: 'find messages (words, "a phrase", from:user, in:room); alone: more (/find)',
    parse: (_args, _usage, rest) => (rest ? { name: "search", query: rest } : { name: "search" }),
    run: (chat, { query }) => search(chat, query),
  },
  {
    name: "upload",
    aliases: ["up"],
    synopsis: "/upload <path> [caption]",
    help: "share a file here, with an optional caption (/up); quote a path with spaces",
    parse: parseUpload,
    run: (chat, { path, caption }) => upload(chat, path, caption),
  },
  {
    name: "more",
    synopsis: "/more",
    help: "older messages of this conversation, a page at a time",
    parse: () => ({ name: "more" }),
    run: (chat) => chat.conversation.more(),
  },
  {
    name: "help",
    aliases: ["?"],
    synopsis: "/help",
    help: "this list",
    parse: () => ({ name: "help" }),
    run: (chat) => chat.screen.info(helpText()),
  },
  {
    name: "logout",
    synopsis: "/logout",
    help: "log out of this server (forgets the saved token), quit",
    parse: () => ({ name: "logout" }),
    run: (chat) => chat.lifecycle.logout(),
  },
  {
    name: "quit",
    aliases: ["exit"],
    synopsis: "/quit",
    help: "quit (also Ctrl-D or Ctrl-C); waits for unsent messages",
    parse: () => ({ name: "quit" }),
    run: (chat) => chat.lifecycle.quit(),
  },
];

/** Lower-case name or alias → its command. */
const BY_NAME = new Map<string, AnyCommandSpec>(
  COMMANDS.flatMap((spec) => [spec.name, ...(spec.aliases ?? [])].map((name) => [name, spec] as const)),
);

/** Every command's name (not the aliases): what Tab completes after `/`. */
export const commandNames = (): string[] => COMMANDS.map((spec) => spec.name);

/** The /help text: one line per command, as the table lists them. */
export function helpText(): string {
  // a synopsis too wide for the column keeps a clear gap before its text
  const line = (synopsis: string, help: string) =>
    `  ${synopsis.length < 20 ? synopsis.padEnd(20) : `${synopsis}   `}${help}`;
  return [
    "Commands:",
    ...COMMANDS.map((spec) => line(spec.synopsis, spec.help)),
    line("//text", "send a message that starts with '/'"),
    "[n] beside a message names it for /reply, /edit, /delete, /react; it keeps that number until you quit.",
    "Tab completes commands, room names (#room) and usernames (@user).",
  ].join("\n");
}

/**
 * One submitted line: a message (`//text` sends `/text`), a /command, or a usage error. Command names are
 * case-insensitive; `/j`, `/s` and `/msg` are short for `/join`, `/switch` and `/dm`.
 */
export function parseInput(line: string): ParsedInput {
  const trimmed = line.trim();
  if (trimmed === "") return { kind: "empty" };
  if (trimmed.startsWith("//")) return { kind: "message", content: line.replace("//", "/") };
  if (!trimmed.startsWith("/")) return { kind: "message", content: line };
  const [head = "", ...args] = trimmed.split(/\s+/);
  const rest = trimmed.slice(head.length).trimStart();
  const spec = BY_NAME.get(head.slice(1).toLowerCase());
  if (!spec) return { kind: "error", message: `Unknown command ${sanitizeInline(head)}; /help lists the commands.` };
  const syntax = spec.usage ?? spec.synopsis;
  const usage = (detail?: string): ParseError => ({
    error: detail === undefined ? `Usage: ${syntax}` : `${detail}. Usage: ${syntax}`,
  });
  const parsed = spec.parse(args, usage, rest);
  return "error" in parsed ? { kind: "error", message: parsed.error } : { kind: "command", command: parsed };
}

/** Run a parsed command with the table entry of its name. */
export function runCommand(chat: TerminalChat, command: Command): void {
  const spec = BY_NAME.get(command.name);
  if (!spec) return;
  // found by the command's own name, so its `run` takes this very kind of command
  const run = spec.run as (chat: TerminalChat, command: Command) => void | Promise<void>;
  const work = run(chat, command);
  if (work) runTask(chat, work);
}
