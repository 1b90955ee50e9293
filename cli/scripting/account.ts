// `chatterbox login`, `chatterbox logout`, `chatterbox whoami`: the stored login for a server.
import { type Command } from "commander";
import { logout } from "../api";
import { obtainLogin } from "../login";
import { optionsOf, withConnectionOptions, setup, signIn, type GlobalOptions } from "./context";
import { EXIT, EXIT_CODES_HELP, describeFailure } from "./exit-codes";
import type { Runner } from "./runner";

/** Logs in (prompting on a terminal; else --username with CHATTERBOX_PASSWORD) and stores the token. */
async function loginCommand(options: GlobalOptions): Promise<number> {
  const { serverUrl, store } = setup(options);
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const login = await obtainLogin({
    serverUrl,
    store,
    password: process.env.CHATTERBOX_PASSWORD,
    register: Boolean(options.register),
    interactive,
    say: (line) => console.error(line),
    ...(options.username === undefined ? {} : { username: options.username }),
  });
  console.error(`Logged in to ${serverUrl} as ${login.username}.`);
  return EXIT.ok;
}

/** Revokes the stored token and forgets it (the token is forgotten even when the server cannot be told). */
async function logoutCommand(options: GlobalOptions): Promise<number> {
  const { serverUrl, store } = setup(options);
  const stored = await store.get(serverUrl);
  if (!stored) {
    console.error(`Not logged in to ${serverUrl}.`);
    return EXIT.ok;
  }
  try {
    await logout(serverUrl, stored.token);
  } catch (err) {
    await store.delete(serverUrl);
    const { message, code } = describeFailure(err);
    console.error(`The saved token was forgotten, but the server could not revoke it: ${message}`);
    return code;
  }
  await store.delete(serverUrl);
  console.error(`Logged out of ${serverUrl}.`);
  return EXIT.ok;
}

async function whoami(options: GlobalOptions & { json?: boolean }): Promise<number> {
  const { login, serverUrl } = await signIn(options);
  console.log(options.json ? JSON.stringify({ username: login.username, server: serverUrl }) : login.username);
  return EXIT.ok;
}

export function registerAccount(program: Command, run: Runner): void {
  withConnectionOptions(program.command("login"))
    .description("log in (or --register) and keep the token for this server")
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (_options: unknown, command: Command) => run(() => loginCommand(optionsOf(command))));
  withConnectionOptions(program.command("logout"))
    .description("revoke the saved token for the server and forget it")
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (_options: unknown, command: Command) => run(() => logoutCommand(optionsOf(command))));
  withConnectionOptions(program.command("whoami"))
    .description("print the username the token belongs to")
    .option("--json", "as JSON: {username, server}")
    .addHelpText("after", EXIT_CODES_HELP)
    .action(async (_options: unknown, command: Command) => run(() => whoami(optionsOf<{ json?: boolean }>(command))));
}
