// `chatterbox export --room R [--format jsonl|txt] [--since DATE] [--until DATE]`: a room's whole history
// (deleted messages left out), oldest first, on stdout, paged over REST with a progress bar on stderr.
import { once } from "node:events";
import { type Command, Option } from "commander";
import { LIMITS, type Message } from "../../lib/protocol";
import { UsageError } from "../login";
import { optionsOf, withConnectionOptions, roomLabel, roomOption, signIn, storedRoomName } from "./context";
import { EXIT, EXIT_CODES_HELP } from "./exit-codes";
import { dateBound, untilEnd, type DateBound } from "./options";
import { Progress } from "./progress";
import { eventLine } from "./records";
import type { Runner } from "./runner";

interface ExportOptions {
  format: "jsonl" | "txt";
  since?: DateBound;
  until?: DateBound;
}

/** Writes `chunk`, waiting when stdout's buffer is full (a slow pipe must not grow memory without bound). */
async function write(chunk: string): Promise<void> {
  if (chunk && !process.stdout.write(chunk)) await once(process.stdout, "drain");
}

async function exportRoom(options: ExportOptions & { room?: string }): Promise<number> {
  const ref = roomOption(options.room);
  if (!ref) throw new UsageError("export needs --room (a room such as ops, or @user)");
  const from = options.since?.at.getTime() ?? -Infinity;
  const to = options.until ? untilEnd(options.until).getTime() : Infinity;
  if (from >= to) throw new UsageError("--since must be before --until");
  const signed = await signIn(options);
  const self = signed.login.username;
  const room = storedRoomName(ref, self);
  // the newest id, for the bar (ids are server-wide, so this is how far along, not a count)
  const summary = (await signed.http.rooms()).find((r) => r.name.toLowerCase() === room.toLowerCase());
  const progress = new Progress(`export ${roomLabel(room, self)}`);
  const keep = (m: Message) => !m.deleted && Date.parse(m.timestamp) >= from && Date.parse(m.timestamp) < to;
  let written = 0;
  let firstId: number | undefined;
  for (let after = 0; ;) {
    const page = await signed.http.messages(room, { after, limit: LIMITS.pageMax });
    const kept = page.filter(keep);
    await write(kept.map((m) => `${eventLine("message", m, self, options.format === "jsonl", false)}\n`).join(""));
    written += kept.length;
    const last = page[page.length - 1];
    // ids follow commit order, and so do timestamps: past --until nothing later can match
    if (!last || page.length < LIMITS.pageMax || Date.parse(last.timestamp) >= to) break;
    firstId ??= page[0]?.id ?? 0;
    const end = summary?.lastMessageId ?? last.id;
    progress.update(end > firstId ? (last.id - firstId) / (end - firstId) : 1, written);
    after = last.id;
  }
  progress.finish(`exported ${written} message${written === 1 ? "" : "s"} from ${roomLabel(room, self)}`);
  return EXIT.ok;
}

export function registerExport(program: Command, run: Runner): void {
  withConnectionOptions(program.command("export"))
    .description("write a room's whole history to stdout, oldest first (progress on stderr)")
    .requiredOption("-r, --room <room>", "the room (ops, #ops) or direct-message conversation (@bob)")
    .addOption(
      new Option("--format <format>", "jsonl: one JSON object per message; txt: one line each")
        .choices(["jsonl", "txt"])
        .default("jsonl"),
    )
    .option("--since <date>", "from this date (2026-12-01, midnight UTC) or instant (ISO 8601)", dateBound)
    .option("--until <date>", "up to this date (a bare date includes that whole day) or instant", dateBound)
    .addHelpText(
      "after",
      "\nExamples:\n  chatterbox export --room ops > ops.jsonl\n  chatterbox export --room @alice --format txt --since 2026-11-01 --until 2026-11-30\n" +
        EXIT_CODES_HELP,
    )
    .action(async (_options: unknown, command: Command) => run(() => exportRoom(optionsOf<ExportOptions>(command))));
}
