// `chatterbox rooms [--json]`: the user's rooms and direct-message conversations with unread counts.
import { type Command } from "commander";
import type { RoomSummary } from "../../lib/protocol";
import { sanitizeInline } from "../sanitize";
import { optionsOf, withConnectionOptions, roomLabel, signIn, type GlobalOptions } from "./context";
import { EXIT, EXIT_CODES_HELP } from "./exit-codes";
import type { Runner } from "./runner";

const record = (r: RoomSummary, self: string) => ({
  room: roomLabel(r.name, self),
  kind: r.kind,
  private: r.private,
  unread: r.unread,
  mentions: r.mentions,
  lastMessageId: r.lastMessageId,
});

/** `#ops      3 unread (1 mention)  private` */
function line(r: RoomSummary, self: string, width: number): string {
  const label = sanitizeInline(roomLabel(r.name, self)).padEnd(width);
  const unread = r.unread > 0 ? `${r.unread} unread` : "";
  const mentions = r.kind === "room" && r.mentions > 0 ? ` (${r.mentions} mention${r.mentions === 1 ? "" : "s"})` : "";
  const flags = r.private ? "  private" : "";
  return `${label}  ${unread}${mentions}${flags}`.trimEnd();
}

async function rooms(options: GlobalOptions & { json?: boolean }): Promise<number> {
  const { http, login } = await signIn(options);
  const self = login.username;
  const list = await http.rooms();
  if (options.json) {
    for (const r of list) console.log(JSON.stringify(record(r, self)));
    return EXIT.ok;
  }
  const width = Math.max(0, ...list.map((r) => roomLabel(r.name, self).length));
  for (const r of list) console.log(line(r, self, width));
  return EXIT.ok;
}

export function registerRooms(program: Command, run: Runner): void {
  withConnectionOptions(program.command("rooms"))
    .description("list your rooms and direct-message conversations with unread counts")
    .option("--json", "JSON Lines: {room, kind, private, unread, mentions, lastMessageId}")
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (_options: unknown, command: Command) => run(() => rooms(optionsOf<{ json?: boolean }>(command))));
}
