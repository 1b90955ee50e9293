// `chatterbox send [--room R | --to U] [--lines] [--json] [text…]`: sends one message (the words given, or
// all of stdin), or one per non-blank stdin line with --lines; exits 0 only once the server has acked every
// one (stored durably). Every message is checked before the first is sent: bad input sends nothing.
import { type Command } from "commander";
import { text } from "node:stream/consumers";
import { contentSchema, describeZodError, type Message } from "../../lib/protocol";
import { UsageError } from "../login";
import type { RoomRef } from "../rooms";
import { optionsOf, withConnectionOptions, roomOption, signIn } from "./context";
import { EXIT, EXIT_CODES_HELP } from "./exit-codes";
import { eventLine } from "./records";
import { addressOf, openSession, whenConnected } from "./session";
import type { Runner } from "./runner";

interface SendOptions {
  to?: string;
  lines?: boolean;
  json?: boolean;
}

/** The messages to send: the words, else stdin (whole, or per line with --lines), each validated. */
async function contents(words: string[], perLine: boolean): Promise<string[]> {
  const raw = words.length > 0 ? [words.join(" ")] : await stdinContents(perLine);
  const checked = raw.map((content, i) => {
    const parsed = contentSchema.safeParse(content);
    if (parsed.success) return content;
    const where = perLine ? `line ${i + 1}` : "the message";
    throw new UsageError(`nothing sent: ${where} is not a valid message (${describeZodError(parsed.error)})`);
  });
  if (checked.length === 0) throw new UsageError("nothing to send: give the text as arguments or on stdin");
  return checked;
}

async function stdinContents(perLine: boolean): Promise<string[]> {
  if (process.stdin.isTTY) process.stderr.write("Reading the message from stdin (end with Ctrl-D)…\n");
  const all = await text(process.stdin);
  if (perLine) return all.split(/\r?\n/).filter((line) => line.trim() !== "");
  const whole = all.replace(/\r?\n$/, "");
  return whole.trim() === "" ? [] : [whole];
}

function target(options: SendOptions & { room?: string }): RoomRef | undefined {
  if (options.to !== undefined && options.room !== undefined) throw new UsageError("give --room or --to, not both");
  return options.to !== undefined ? roomOption(`@${options.to.replace(/^@/, "")}`, "--to") : roomOption(options.room);
}

async function send(words: string[], options: SendOptions & { room?: string }): Promise<number> {
  const ref = target(options);
  const messages = await contents(words, Boolean(options.lines));
  const signed = await signIn(options);
  const connection = openSession(signed);
  try {
    await whenConnected(connection, signed.serverUrl);
    const address = await Promise.race([addressOf(connection.session, ref), connection.failed]);
    // queued together, delivered in order by the outbox; each resolves with the stored message once acked
    const acked: Message[] = await Promise.race([
      Promise.all(messages.map((content) => connection.session.send(content, address))),
      connection.failed,
    ]);
    if (options.json) for (const m of acked) console.log(eventLine("message", m, signed.login.username, true));
    return EXIT.ok;
  } finally {
    connection.session.close();
  }
}

export function registerSend(program: Command, run: Runner): void {
  withConnectionOptions(program.command("send"))
    .description("send a message (the text given, or stdin); exits 0 once the server has stored it")
    .argument("[text...]", "the message; without it, stdin is read")
    .option("-r, --room <room>", "to this room (ops, #ops) or user (@bob); default general")
    .option("-t, --to <user>", "a direct message to this user")
    .option("-l, --lines", "send each non-blank stdin line as its own message")
    .option("--json", "print each stored message as a JSON line")
    .addHelpText(
      "after",
      '\nExamples:\n  chatterbox send --room ops "deploy finished"\n  make 2>&1 | tail -n 5 | chatterbox send --to alice\n' +
        "  git log --oneline -5 | chatterbox send --room dev --lines\n" +
        "\nstdin is read to its end before anything is sent. For an endless stream (tail -f), pipe it to\n" +
        "`chatterbox --room R` instead: without a terminal it sends each line as it comes.\n" +
        EXIT_CODES_HELP,
    )
    .action(async (words: string[], _options: unknown, command: Command) =>
      run(() => send(words, optionsOf<SendOptions>(command))),
    );
}
