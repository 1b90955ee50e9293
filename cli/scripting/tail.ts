// `chatterbox tail [--room R] [--follow] [--json] [-n N | --since ID]`: the latest messages (of one room, or
// of every room the user is in), or everything after message ID; with --follow, then every new message and
// every edit, deletion and reaction change as its own event until interrupted. One event per line: JSON
// Lines with --json (records.ts), else `2026-12-06 14:05 #ops alice: text`.
import { type Command } from "commander";
import { LIMITS, type Message } from "../../lib/protocol";
import type { Http } from "../../lib/client/http";
import { optionsOf, withConnectionOptions, roomOption, signIn, storedRoomName } from "./context";
import { EXIT, EXIT_CODES_HELP } from "./exit-codes";
import { wholeNumber } from "./options";
import { EventPrinter } from "./event-printer";
import { eventLine } from "./records";
import type { Runner } from "./runner";
import { openSession, whenConnected } from "./session";

interface TailOptions {
  follow?: boolean;
  json?: boolean;
  since?: number;
  count: number;
}

/** Every message of `room` after `since`, ascending. */
async function everythingAfter(http: Http, room: string, since: number): Promise<Message[]> {
  const all: Message[] = [];
  for (let after = since; ;) {
    const page = await http.messages(room, { after, limit: LIMITS.pageMax });
    all.push(...page);
    if (page.length < LIMITS.pageMax) return all;
    after = page[page.length - 1]!.id;
  }
}

/** What is printed before following: the latest `count` over `rooms`, or everything after `since`. */
async function firstMessages(http: Http, rooms: string[], options: TailOptions): Promise<Message[]> {
  const { since, count } = options;
  const pages = await Promise.all(
    rooms.map((room) =>
      since === undefined ? http.messages(room, { limit: Math.max(count, 1) }) : everythingAfter(http, room, since),
    ),
  );
  const merged = pages.flat().sort((a, b) => a.id - b.id);
  return since === undefined ? merged.slice(Math.max(merged.length - count, 0)) : merged;
}

/** Resolves at SIGINT or SIGTERM (a follower stops cleanly: exit 0). */
const interrupted = () =>
  new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });

async function tail(options: TailOptions & { room?: string }): Promise<number> {
  const ref = roomOption(options.room);
  const signed = await signIn(options);
  const self = signed.login.username;
  const scope = ref && storedRoomName(ref, self).toLowerCase();
  const inScope = (m: Message) => scope === undefined || m.room.toLowerCase() === scope;
  const printer = new EventPrinter((type, m) => console.log(eventLine(type, m, self, Boolean(options.json))));
  // while following, what arrives before the first messages are printed waits here (then merged by id)
  let held: { m: Message; kind: "new" | "change" }[] | null = [];
  const take = (kind: "new" | "change") => (batch: Message[]) => {
    for (const m of batch.filter(inScope)) {
      if (held) held.push({ m, kind });
      else printer.show(m, kind);
    }
  };
  const connection = options.follow
    ? openSession(signed, {
        // the first connection's history is general's latest page, not news; a reconnect's fills the gap
        messages: (batch, info) => (info.source === "latest" ? undefined : take("new")(batch)),
        updated: take("change"),
      })
    : undefined;
  try {
    if (connection) await whenConnected(connection, signed.serverUrl);
    const rooms = scope ? [scope] : (await signed.http.rooms()).map((r) => r.name);
    for (const m of await firstMessages(signed.http, rooms, options)) printer.show(m, "new");
    if (!connection) return EXIT.ok;
    const waiting = held.sort((a, b) => a.m.seq - b.m.seq);
    held = null;
    for (const { m, kind } of waiting) printer.show(m, kind);
    await Promise.race([interrupted(), connection.failed]);
    return EXIT.ok;
  } finally {
    connection?.session.close();
  }
}

export function registerTail(program: Command, run: Runner): void {
  withConnectionOptions(program.command("tail"))
    .description("print the latest messages (of a room, or of all your rooms); --follow for new ones as they come")
    .option("-r, --room <room>", "only this room (ops, #ops) or direct-message conversation (@bob)")
    .option("-f, --follow", "keep printing new messages, edits, deletions and reactions until interrupted")
    .option("--json", "JSON Lines: one object per event with type, id, room, username, content, timestamp, …")
    .option("-n, --count <n>", "how many of the latest messages to print first", wholeNumber(0, LIMITS.pageMax), 20)
    .option("--since <id>", "print every message after this message id instead", wholeNumber(0))
    .addHelpText(
      "after",
      "\nEach line is one event: a message, or (when following) an edit, delete or reaction change.\n" +
        "Text lines read `2026-12-06 14:05 #ops alice: text` (local time); JSON lines carry ISO 8601 UTC\n" +
        "timestamps and rooms as you know them (#ops, @bob).\n\n" +
        "Examples:\n  chatterbox tail --room ops -n 50\n  chatterbox tail --follow --json | jq -r 'select(.type==\"message\") | .content'\n" +
        EXIT_CODES_HELP,
    )
    .action(async (_options: unknown, command: Command) => run(() => tail(optionsOf<TailOptions>(command))));
}
