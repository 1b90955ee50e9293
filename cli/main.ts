/**
 * Chatterbox terminal client: `chatterbox [--server <url>] [--username <name>] [--register]`,
 * `chatterbox logout`, `chatterbox passwd`, `chatterbox sessions [revoke <id> | revoke --others]`. The server is `--server`, else CHATTERBOX_URL, else http://127.0.0.1:8000; tokens
 * are kept per server in $XDG_CONFIG_HOME/chatterbox/credentials.json (else ~/.config/chatterbox/…), 0600.
 *
 * Interactive mode (stdin and stdout are terminals): reuse the stored token if the server still accepts
 * it, else prompt "Log in" / "Register", username and hidden password; then the chat screen.
 *
 * The chat screen shows one room at a time (general first, or `--room`): /rooms, /join, /switch, /leave,
 * /create, /invite, /dm, /who; unread counts of the other rooms in the prompt, "… is typing" above it
 * (cli/terminal.ts).
 *
 * Non-TTY mode (stdin or stdout is not a terminal, e.g. piped in tests) — never prompts:
 * - Login: `--username <name>` with the password in env CHATTERBOX_PASSWORD logs in afresh (and stores the
 *   token); add `--register` to create the account first ("User already exists" is noted on stderr and
 *   login proceeds). Without --username a stored token for the server is used; none → exit 2.
 * - stdout: each message (history, then live, merged by id, no duplicates) is ONE line
 *   `[HH:MM] username: content` (local time; control characters stripped; a newline inside the content
 *   printed as the two characters `\n`; `#room ` precedes the name for rooms other than general).
 *   After each connection's history has been printed the line `connected` follows (the first one means
 *   "ready"; later ones mark a reconnect). Nothing else goes to stdout.
 * - stderr: connection states (`* connected`, `* reconnecting (…)`, …), retries and refusals.
 * - stdin: every non-blank line is sent verbatim as one message (no /commands), in order, each with its
 *   own clientId, retried until acked.
 * - `--room <room>` (`ops`, `#ops`, or `@bob` for direct messages with bob): lines go to that room (a public
 *   room is joined first; a room that cannot be used → exit 1) and only its messages are printed: its
 *   latest 50 and live ones, then `connected`. Without it lines go to general and every message received
 *   is printed. At end of stdin the client waits for the first history, for every
 *   line to be acked and its message printed, then exits.
 * - Exit codes: 0 all lines delivered; 1 a line was refused, or the token was refused while chatting; 2
 *   usage/configuration error or not logged in; 3 the server could not be reached.
 *   `test/helpers/cli-process.ts` spawns the client this way for tests.
 *
 * Scripting subcommands (cli/scripting/, one module each, registered in buildProgram): send, tail, export,
 * rooms, whoami, login, logout. They never prompt, take --token / CHATTERBOX_TOKEN, and keep the exit codes
 * of cli/scripting/exit-codes.ts (0 ok, 1 refused by the server, 2 usage or not logged in, 3 unreachable).
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Command, CommanderError } from "commander";
import { changePassword, listSessions, revokeSessions, type AccountIo } from "./account";
import { registerHooksCommand } from "./hooks";
import { UsageError, obtainLogin } from "./login";
import { runPipeChat } from "./pipe";
import { runTerminalChat } from "./terminal";
import { registerAccount } from "./scripting/account";
import { loginWithToken, roomOption, setup, withConnectionOptions, type GlobalOptions } from "./scripting/context";
import { EXIT_CODES_HELP, commanderExitCode, describeFailure } from "./scripting/exit-codes";
import { registerExport } from "./scripting/export";
import { registerRooms } from "./scripting/rooms-command";
import type { Runner } from "./scripting/runner";
import { registerSend } from "./scripting/send";
import { registerTail } from "./scripting/tail";

async function chat(options: GlobalOptions): Promise<number> {
  const { serverUrl, store, bell: bellByEnv, token } = setup(options);
  const bell = options.bell !== false && bellByEnv;
  const room = roomOption(options.room);
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const say = (line: string) => (interactive ? console.log(line) : console.error(line));
  let username = options.username;
  for (let first = true; ; first = false) {
    const login =
      first && token
        ? await loginWithToken(serverUrl, token)
        : await obtainLogin({
            serverUrl,
            store,
            username,
            password: process.env.CHATTERBOX_PASSWORD,
            register: Boolean(options.register),
            interactive,
            say,
          });
    if (!interactive) return runPipeChat({ serverUrl, login, store, ...(room ? { room } : {}) });
    const outcome = await runTerminalChat({ serverUrl, login, store, bell, ...(room ? { room } : {}) });
    if (outcome.kind !== "unauthorized") return 0;
    username = undefined; // the token was refused: back to the login prompts
  }
}

/** `chatterbox frob`: a usage error that lists the subcommands. */
function unknownCommand(program: Command, name: string): UsageError {
  const names = program.commands.map((c) => c.name()).join(", ");
  return new UsageError(`unknown command '${name}' (the commands are ${names}; add --help for usage)`);
}

/** The saved session (or an interactive login) for the account subcommands. */
async function accountIo(options: GlobalOptions): Promise<AccountIo> {
  const { serverUrl, store } = setup(options);
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const say = (line: string) => console.log(line);
  const login = await obtainLogin({
    serverUrl,
    store,
    username: options.username,
    password: process.env.CHATTERBOX_PASSWORD,
    register: false,
    interactive,
    say,
  });
  return { serverUrl, login, say };
}

function sessionTarget(id: string | undefined, others: boolean | undefined): number | "others" {
  if (others && id === undefined) return "others";
  if (!others && id !== undefined && /^[1-9]\d{0,15}$/.test(id)) return Number(id);
  throw new UsageError("chatterbox sessions revoke <id>   or   chatterbox sessions revoke --others");
}

export function buildProgram(run: Runner): Command {
  const program = withConnectionOptions(new Command())
    .name("chatterbox")
    .description("Terminal client for a Chatterbox chat server: the chat screen, or a scripting subcommand.")
    .option("-r, --room <room>", "start in this room (ops, #ops) or direct-message conversation (@user)")
    .option("--no-bell", "do not ring the terminal bell when a message mentions you (also $CHATTERBOX_BELL=off)")
    // the program's options come before a subcommand; each subcommand takes its own after its name
    .enablePositionalOptions()
    .showHelpAfterError("(add --help for usage)")
    .addHelpText(
      "after",
      "\nWithout a terminal (piped stdin/stdout) there are no prompts: each stdin line is sent, each message\n" +
        "is printed as `[HH:MM] user: content`, and `connected` follows the history. With --room, lines go to\n" +
        "that room (or user) and only its messages are printed. For scripts, prefer the subcommands.\n" +
        EXIT_CODES_HELP,
    )
    .exitOverride()
    .action(async (_options: unknown, command: Command) => {
      const [unknown] = command.args;
      if (unknown !== undefined) throw unknownCommand(command, unknown);
      await run(() => chat(command.optsWithGlobals<GlobalOptions>()));
    });
  // the subcommands, one module each under cli/scripting/
  registerAccount(program, run);
  registerRooms(program, run);
  registerSend(program, run);
  registerTail(program, run);
  registerExport(program, run);
  withConnectionOptions(program.command("passwd"))
    .description("change the password (hidden prompts); every other session is signed out")
    .action(async (_options: unknown, command: Command) => {
      if (!process.stdin.isTTY) throw new UsageError("chatterbox passwd asks for the passwords: run it in a terminal");
      await run(async () => changePassword(await accountIo(command.optsWithGlobals<GlobalOptions>())));
    });
  const sessions = withConnectionOptions(program.command("sessions"))
    .description("list where the account is signed in")
    .action(async (_options: unknown, command: Command) =>
      run(async () => listSessions(await accountIo(command.optsWithGlobals<GlobalOptions>()))),
    );
  withConnectionOptions(sessions.command("revoke [id]"))
    .description("sign out one session (its id from the list), or every other one with --others")
    .option("--others", "every session but this one")
    .action(async (id: string | undefined, _options: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions & { others?: boolean }>();
      const target = sessionTarget(id, options.others);
      await run(async () => revokeSessions(await accountIo(options), target));
    });
  registerHooksCommand(program, run);
  // every subcommand reports parse errors like the program: a usage error (exit 2) with a hint
  for (const command of program.commands) command.exitOverride().showHelpAfterError("(add --help for usage)");
  // after the subcommands were made (they inherit this setting): a stray word is reported as an unknown command
  program.allowExcessArguments();
  return program;
}

/** Run the CLI with `argv` (node-style: argv[0] node, argv[1] script); resolves with the exit code. */
export async function main(argv: readonly string[] = process.argv): Promise<number> {
  let code = 0;
  const program = buildProgram(async (work) => {
    code = await work();
  });
  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return commanderExitCode(err);
    const failure = describeFailure(err);
    if (failure.message) console.error(failure.message);
    return failure.code;
  }
}

/** Run `main` and end the process with its exit code (used by bin.mjs and `tsx cli/main.ts`). */
export async function runAsProcess(): Promise<void> {
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
  });
  const code = await main();
  process.exitCode = code;
  // let stdout drain and sockets close; a lingering handle (e.g. an open stdin) must not keep us alive
  setTimeout(() => process.exit(code), 500).unref();
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) void runAsProcess();
