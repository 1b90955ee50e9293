/**
 * Chatterbox terminal client: `chatterbox [--server <url>] [--username <name>] [--register]`,
 * `chatterbox logout`. The server is `--server`, else CHATTERBOX_URL, else http://127.0.0.1:8000; tokens
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
 * - Exit codes: 0 all lines delivered; 1 a line was refused, the token was refused, or the server could
 *   not be reached; 2 usage/configuration error. `test/helpers/cli-process.ts` spawns the client this way for tests.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Command, CommanderError } from "commander";
import { ConfigError, loadCliConfig } from "../lib/config";
import { ApiError, NetworkError, logout } from "./api";
import { CredentialStore } from "./credentials";
import { registerHooksCommand } from "./hooks";
import { UsageError, obtainLogin } from "./login";
import { runPipeChat } from "./pipe";
import { parseRoomRef, type RoomRef } from "./rooms";
import { runTerminalChat } from "./terminal";

interface GlobalOptions {
  server?: string;
  username?: string;
  register?: boolean;
  room?: string;
  /** false with --no-bell */
  bell?: boolean;
}

function roomOption(value: string | undefined): RoomRef | undefined {
  if (value === undefined) return undefined;
  const ref = parseRoomRef(value);
  if ("error" in ref) throw new UsageError(`--room: ${ref.error} (a room such as ops or #ops, or @user)`);
  return ref;
}

function setup(options: GlobalOptions) {
  if (options.server !== undefined && !URL.canParse(options.server)) {
    throw new UsageError(`--server: "${options.server}" is not a URL such as http://127.0.0.1:8000`);
  }
  const config = loadCliConfig(process.env, options.server);
  return { serverUrl: config.serverUrl, bell: config.bell, store: new CredentialStore(config.configDir) };
}

async function chat(options: GlobalOptions): Promise<number> {
  const { serverUrl, store, bell: bellByEnv } = setup(options);
  const bell = options.bell !== false && bellByEnv;
  const room = roomOption(options.room);
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const say = (line: string) => (interactive ? console.log(line) : console.error(line));
  let username = options.username;
  for (;;) {
    const login = await obtainLogin({
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

async function logoutCommand(options: GlobalOptions): Promise<number> {
  const { serverUrl, store } = setup(options);
  const stored = await store.get(serverUrl);
  if (!stored) {
    console.log(`Not logged in to ${serverUrl}.`);
    return 0;
  }
  try {
    await logout(serverUrl, stored.token);
    await store.delete(serverUrl);
    console.log(`Logged out of ${serverUrl}.`);
    return 0;
  } catch (err) {
    await store.delete(serverUrl);
    const reason = err instanceof Error ? err.message : String(err);
    console.error(`The saved token was forgotten, but the server could not revoke it: ${reason}`);
    return 1;
  }
}

export function buildProgram(run: (code: number) => void): Command {
  const program = new Command()
    .name("chatterbox")
    .description("Terminal client for a Chatterbox chat server.")
    .option("-s, --server <url>", "server URL (default: $CHATTERBOX_URL or http://127.0.0.1:8000)")
    .option("-u, --username <name>", "log in as this user; the password comes from $CHATTERBOX_PASSWORD or a prompt")
    .option("--register", "create the account first")
    .option("-r, --room <room>", "start in this room (ops, #ops) or direct-message conversation (@user)")
    .option("--no-bell", "do not ring the terminal bell when a message mentions you (also $CHATTERBOX_BELL=off)")
    .addHelpText(
      "after",
      "\nWithout a terminal (piped stdin/stdout) there are no prompts: each stdin line is sent, each message\n" +
        "is printed as `[HH:MM] user: content`, and `connected` follows the history. With --room, lines go to\n" +
        "that room (or user) and only its messages are printed.",
    )
    .exitOverride()
    .action(async (_options: unknown, command: Command) => run(await chat(command.optsWithGlobals<GlobalOptions>())));
  program
    .command("logout")
    .description("revoke the saved token for the server and forget it")
    .action(async (_options: unknown, command: Command) =>
      run(await logoutCommand(command.optsWithGlobals<GlobalOptions>())),
    );
  registerHooksCommand(program, run);
  return program;
}

function describeFailure(err: unknown): { message: string; code: number } {
  if (err instanceof ConfigError || err instanceof UsageError) return { message: err.message, code: 2 };
  if (err instanceof NetworkError || err instanceof ApiError) return { message: err.message, code: 1 };
  if (err instanceof Error && err.name === "ExitPromptError") return { message: "", code: 130 };
  return { message: err instanceof Error ? (err.stack ?? err.message) : String(err), code: 1 };
}

/** Run the CLI with `argv` (node-style: argv[0] node, argv[1] script); resolves with the exit code. */
export async function main(argv: readonly string[] = process.argv): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
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
