// `chatterbox passwd` and `chatterbox sessions`: the account's password and where it is signed in, from the
// shell. Both use the saved session for the server (logging in first, interactively, when there is none).
import { password as passwordPrompt } from "@inquirer/prompts";
import { describeZodError, passwordSchema, type SessionInfo } from "../lib/protocol";
import { http } from "./api";
import type { LoggedIn } from "./login";
import { style } from "./render";
import { sanitizeInline } from "./sanitize";

/** Asks for a password without echoing it (tests pass their own). */
export type AskPassword = (message: string, validate?: (value: string) => true | string) => Promise<string>;

export const askHidden: AskPassword = (message, validate) =>
  passwordPrompt({ message, mask: "*", ...(validate ? { validate } : {}) });

export interface AccountIo {
  serverUrl: string;
  login: LoggedIn;
  say: (line: string) => void;
}

/** Prompts for the current password and a new one (twice); every other session is signed out. Exit code. */
export async function changePassword(io: AccountIo, ask: AskPassword = askHidden): Promise<number> {
  const current = await ask(`Current password for ${io.login.username}`, (v) => v.length > 0 || "enter it");
  const next = await ask("New password", (v) => {
    const parsed = passwordSchema.safeParse(v);
    return parsed.success || describeZodError(parsed.error);
  });
  if ((await ask("New password again")) !== next) {
    io.say(style.red("The new passwords do not match; nothing was changed."));
    return 1;
  }
  const { revoked } = await http(io.serverUrl, io.login.token).changePassword({ current, password: next });
  const others = revoked === 1 ? "1 other session was" : `${revoked} other sessions were`;
  io.say(style.green(`Password changed. ${others} signed out; this one stays.`));
  return 0;
}

/** One line per session: its number (for `revoke`), the device, when it signed in and was last used. */
export function formatSessions(sessions: readonly SessionInfo[]): string {
  const when = (iso: string) => new Date(iso).toLocaleString();
  const rows = sessions.map((s) => {
    const device = sanitizeInline(s.device).padEnd(22);
    const here = s.current ? style.green(" ← this one") : "";
    return `  ${String(s.id).padStart(5)}  ${device} signed in ${when(s.createdAt)}, last used ${when(s.lastUsedAt)}${here}`;
  });
  return [
    `Signed in (${sessions.length}):`,
    ...rows,
    "Sign one out with `chatterbox sessions revoke <id>`, all others with `chatterbox sessions revoke --others`.",
  ].join("\n");
}

export async function listSessions(io: AccountIo): Promise<number> {
  io.say(formatSessions(await http(io.serverUrl, io.login.token).sessions()));
  return 0;
}

/** Signs out session `id`, or every other one (`"others"`). Exit code. */
export async function revokeSessions(io: AccountIo, which: number | "others"): Promise<number> {
  const client = http(io.serverUrl, io.login.token);
  if (which === "others") {
    const { revoked } = await client.revokeOtherSessions();
    io.say(`Signed out ${revoked} other session${revoked === 1 ? "" : "s"}.`);
    return 0;
  }
  await client.revokeSession(which);
  io.say(`Signed out session ${which}.`);
  return 0;
}
