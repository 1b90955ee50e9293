// /me and /nick: the user's own profile, read and changed over REST (lib/client/http.ts). Everyone's
// clients hear the change as user:updated.
import { describeZodError, displayNameSchema, type MeResponse } from "../../lib/protocol";
import { http } from "../api";
import { sanitizeInline } from "../sanitize";
import type { TerminalChat } from "./context";

/** The lines /me prints. */
export function formatProfile(me: MeResponse): string {
  const name = me.displayName ? `${sanitizeInline(me.displayName)} (@${me.username})` : `@${me.username}`;
  return [
    `You are ${name}.`,
    `  status:  ${me.status ? sanitizeInline(me.status) : "(none)"}`,
    `  avatar:  ${me.avatarUrl ? "uploaded (change it in the web app's Settings)" : "initials"}`,
    `  since:   ${new Date(me.createdAt).toLocaleDateString()}`,
    "Change the display name with /nick <name> (/nick alone removes it).",
  ].join("\n");
}

/** `/nick` text: a display name, or null (no text) to show the username alone. */
export function parseNick(rest: string): { displayName: string | null } | { error: string } {
  if (rest.trim() === "") return { displayName: null };
  const parsed = displayNameSchema.safeParse(rest);
  return parsed.success ? { displayName: parsed.data } : { error: describeZodError(parsed.error) };
}

export async function showProfile(chat: TerminalChat): Promise<void> {
  chat.screen.info(formatProfile(await http(chat.serverUrl, chat.login.token).me()));
}

export async function setNick(chat: TerminalChat, displayName: string | null): Promise<void> {
  const me = await http(chat.serverUrl, chat.login.token).updateProfile({ displayName });
  chat.screen.info(
    me.displayName
      ? `You are now shown as ${sanitizeInline(me.displayName)} (@${me.username}).`
      : `Display name removed: you are shown as @${me.username}.`,
  );
}
