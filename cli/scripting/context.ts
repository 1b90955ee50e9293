// What every scripting subcommand starts from: the server, and a token it accepts with the username it
// belongs to. The token is --token or CHATTERBOX_TOKEN (a login token or a personal access token), else a
// fresh non-interactive login (--username with CHATTERBOX_PASSWORD), else the one `chatterbox login` stored.
// Nothing here prompts: a script must never hang on a question.
import { type Command } from "commander";
import type { Http } from "../../lib/client/http";
import { ApiError } from "../../lib/client/errors";
import { loadCliConfig } from "../../lib/config";
import { dmRoomName, isDmRoom } from "../../lib/protocol";
import { clientHttp } from "../api";
import { CredentialStore } from "../credentials";
import { UsageError, obtainLogin, type LoggedIn } from "../login";
import { parseRoomRef, peerFromDmName, type RoomRef } from "../rooms";
import { NotLoggedInError } from "./exit-codes";

/** The program's options, given before or after the subcommand. */
export interface GlobalOptions {
  server?: string;
  token?: string;
  username?: string;
  register?: boolean;
  room?: string;
  /** false with --no-bell */
  bell?: boolean;
}

export interface Setup {
  serverUrl: string;
  bell: boolean;
  store: CredentialStore;
  /** --token, else CHATTERBOX_TOKEN */
  token: string | undefined;
}

export function setup(options: GlobalOptions): Setup {
  if (options.server !== undefined && !URL.canParse(options.server)) {
    throw new UsageError(`--server: "${options.server}" is not a URL such as http://127.0.0.1:8000`);
  }
  const config = loadCliConfig(process.env, options.server);
  const token = options.token?.trim() || config.token;
  return { serverUrl: config.serverUrl, bell: config.bell, store: new CredentialStore(config.configDir), token };
}

/** Who a token belongs to; a refused token is "not logged in" (exit 2). */
export async function loginWithToken(serverUrl: string, token: string): Promise<LoggedIn> {
  try {
    return { token, username: (await clientHttp(serverUrl, token).me()).username };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      throw new NotLoggedInError(`${serverUrl} refused the token (${err.detail}).`);
    }
    throw err;
  }
}

export interface Signed extends Setup {
  login: LoggedIn;
  http: Http;
}

/** The server and a token it accepts, without prompting. */
export async function signIn(options: GlobalOptions): Promise<Signed> {
  const base = setup(options);
  const login = base.token
    ? await loginWithToken(base.serverUrl, base.token)
    : await obtainLogin({
        serverUrl: base.serverUrl,
        store: base.store,
        password: process.env.CHATTERBOX_PASSWORD,
        register: Boolean(options.register),
        interactive: false,
        say: (line) => console.error(line),
        ...(options.username === undefined ? {} : { username: options.username }),
      }).catch((err: unknown) => {
        if (err instanceof UsageError && /^Not logged in/.test(err.message)) throw new NotLoggedInError(err.message);
        throw err;
      });
  // a stored token saved before usernames were kept: ask the server
  if (login.username === "me") login.username = (await clientHttp(base.serverUrl, login.token).me()).username;
  return { ...base, login, http: clientHttp(base.serverUrl, login.token) };
}

/** `ops`, `#ops` or `@bob` from an option, or a usage error naming the option. */
export function roomOption(value: string | undefined, option = "--room"): RoomRef | undefined {
  if (value === undefined) return undefined;
  const ref = parseRoomRef(value);
  if ("error" in ref) throw new UsageError(`${option}: ${ref.error} (a room such as ops or #ops, or @user)`);
  return ref;
}

/** The stored room name of a reference: `ops`, or `dm:alice:bob` for `@bob` as alice. */
export const storedRoomName = (ref: RoomRef, self: string): string =>
  ref.kind === "dm" ? dmRoomName(self, ref.user) : ref.name;

/** A room as its users know it: `#ops`, or `@bob` for the direct messages with bob (as `self` sees them). */
export function roomLabel(name: string, self: string): string {
  if (!isDmRoom(name)) return `#${name}`;
  return `@${peerFromDmName(name, self) ?? name}`;
}

/** The merged options of a subcommand and the program. */
export const optionsOf = <T extends object>(command: Command): T & GlobalOptions =>
  command.optsWithGlobals<T & GlobalOptions>();

/**
 * The connection options every subcommand takes after its name (the program takes them before it too):
 * the program parses its own options only before the subcommand, so each subcommand's are its own.
 */
export function withConnectionOptions(command: Command): Command {
  return command
    .option("-s, --server <url>", "server URL (default: $CHATTERBOX_URL or http://127.0.0.1:8000)")
    .option("--token <token>", "a login or personal access token (default: $CHATTERBOX_TOKEN, else the saved login)")
    .option("-u, --username <name>", "log in as this user with the password in $CHATTERBOX_PASSWORD")
    .option("--register", "create the account first (with --username)");
}
