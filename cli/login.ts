// Getting a working token: a stored one that still works, a non-interactive login (--username and
// CHATTERBOX_PASSWORD, optionally --register), or the interactive register / log in prompts.
import { input, password as passwordPrompt, select } from "@inquirer/prompts";
import { describeZodError, passwordSchema, usernameSchema, type Credentials } from "../lib/protocol";
import { ApiError, checkToken, login, register } from "./api";
import type { CredentialStore } from "./credentials";
import { style } from "./render";

export interface LoggedIn {
  token: string;
  username: string;
}

/** Wrong use of the command line (exit code 2). */
export class UsageError extends Error {
  override name = "UsageError";
}

export interface LoginOptions {
  serverUrl: string;
  store: CredentialStore;
  /** --username: log in as this user instead of using a stored token */
  username?: string;
  /** CHATTERBOX_PASSWORD */
  password?: string;
  /** --register: create the account first */
  register: boolean;
  /** prompts allowed (stdin and stdout are terminals) */
  interactive: boolean;
  /** where notices go (stderr in non-TTY mode) */
  say: (line: string) => void;
}

const ALREADY_EXISTS = /already exists/i;

function validUsername(value: string): string {
  const parsed = usernameSchema.safeParse(value);
  if (!parsed.success) throw new UsageError(`--username: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

async function logInAndStore(options: LoginOptions, credentials: Credentials): Promise<LoggedIn> {
  const token = await login(options.serverUrl, credentials);
  await options.store.set(options.serverUrl, { token, username: credentials.username });
  return { token, username: credentials.username };
}

/** A stored token for the server, if the server still accepts it (a rejected one is forgotten). */
async function storedLogin(options: LoginOptions): Promise<LoggedIn | undefined> {
  const stored = await options.store.get(options.serverUrl);
  if (!stored) return undefined;
  if (await checkToken(options.serverUrl, stored.token)) {
    return { token: stored.token, username: stored.username ?? "me" };
  }
  await options.store.delete(options.serverUrl, stored.token);
  options.say("Your saved session has expired; please log in again.");
  return undefined;
}

export async function obtainLogin(options: LoginOptions): Promise<LoggedIn> {
  if (options.username !== undefined) {
    const username = validUsername(options.username);
    let password = options.password;
    if (password === undefined) {
      if (!options.interactive) {
        throw new UsageError("--username needs the password in the CHATTERBOX_PASSWORD environment variable");
      }
      password = await passwordPrompt({ message: `Password for ${username}`, mask: "*" });
    }
    if (options.register) {
      try {
        await register(options.serverUrl, { username, password });
        options.say(`Registered ${username}.`);
      } catch (err) {
        if (!(err instanceof ApiError && ALREADY_EXISTS.test(err.detail))) throw err;
        options.say(`${err.detail}; logging in.`);
      }
    }
    return logInAndStore(options, { username, password });
  }

  if (!options.register) {
    const stored = await storedLogin(options);
    if (stored) return stored;
  }
  if (!options.interactive) {
    throw new UsageError(
      `Not logged in to ${options.serverUrl}. Without a terminal, pass --username <name> with the password in ` +
        "CHATTERBOX_PASSWORD (add --register to create the account), or log in interactively once.",
    );
  }
  return promptLogin(options);
}

type Action = "login" | "register";

async function promptLogin(options: LoginOptions): Promise<LoggedIn> {
  let forced: Action | undefined = options.register ? "register" : undefined;
  let lastAction: Action | undefined;
  let lastUsername: string | undefined;
  for (;;) {
    const action =
      forced ??
      (await select<Action>({
        message: `Chatterbox at ${options.serverUrl}`,
        default: lastAction,
        choices: [
          { name: "Log in", value: "login" },
          { name: "Register a new account", value: "register" },
        ],
      }));
    forced = undefined;
    lastAction = action;
    const registering = action === "register";
    const username = (
      await input({
        message: "Username",
        default: lastUsername,
        validate: (value) => {
          const parsed = usernameSchema.safeParse(value);
          return parsed.success || describeZodError(parsed.error);
        },
      })
    ).trim();
    lastUsername = username;
    const password = await passwordPrompt({
      message: "Password",
      mask: "*",
      validate: (value) => {
        if (!registering) return value.length > 0 || "enter your password";
        const parsed = passwordSchema.safeParse(value);
        return parsed.success || describeZodError(parsed.error);
      },
    });
    if (registering) {
      const again = await passwordPrompt({ message: "Repeat the password", mask: "*" });
      if (again !== password) {
        options.say(style.red("The passwords do not match."));
        continue;
      }
    }
    try {
      if (registering) {
        await register(options.serverUrl, { username, password });
        options.say(style.green(`Registered ${username}.`));
      }
      return await logInAndStore(options, { username, password });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      options.say(style.red(err.detail));
    }
  }
}
