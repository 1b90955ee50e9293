// Finding mentions in a message's content: pure, so the server computes them and a client may highlight the
// same tokens. `@room` and `@here` are the words Slack and Mattermost use (Mattermost: also `@channel`,
// `@all`); `@here` means the members online now.
import type { Message } from "../protocol";

/** `@` then a username's characters, not inside a word or an e-mail address (a@b.c mentions nobody). */
const MENTION = /(?<![A-Za-z0-9_.@-])@([A-Za-z0-9_.-]+)/g;
const ROOM_WORDS = new Set(["room", "channel", "all", "everyone"]);
const HERE_WORD = "here";

/** Whether `@name` addresses a whole room (`@room`, `@here` and their synonyms) rather than one user. */
export function isBroadcastMention(name: string): boolean {
  const n = name.toLowerCase();
  return ROOM_WORDS.has(n) || n === HERE_WORD;
}

export interface MentionTokens {
  /** lower-cased names written after `@` (a trailing '.', '-' also tried without it: "thanks @bob.") */
  names: Set<string>;
  room: boolean;
  here: boolean;
}

export function mentionTokens(content: string): MentionTokens {
  const tokens: MentionTokens = { names: new Set(), room: false, here: false };
  if (!content.includes("@")) return tokens;
  for (const [, raw = ""] of content.matchAll(MENTION)) {
    const name = raw.toLowerCase();
    const trimmed = name.replace(/[.-]+$/, "");
    for (const n of [name, trimmed]) {
      if (ROOM_WORDS.has(n)) tokens.room = true;
      else if (n === HERE_WORD) tokens.here = true;
      else if (n) tokens.names.add(n);
    }
  }
  return tokens;
}

export interface Member {
  userId: number;
  username: string;
}

/** Which members `content` mentions; `online` answers for `@here`. Ordered as the members are given. */
export function mentionedMembers(content: string, members: Member[], online: (userId: number) => boolean): Member[] {
  const t = mentionTokens(content);
  if (!t.room && !t.here && t.names.size === 0) return [];
  return members.filter((m) => t.room || (t.here && online(m.userId)) || t.names.has(m.username.toLowerCase()));
}

/** Whether `message` mentions `username` (as the server computed it). */
export function mentionsUser(message: Pick<Message, "mentions">, username: string): boolean {
  const key = username.toLowerCase();
  return message.mentions.some((m) => m.toLowerCase() === key);
}
