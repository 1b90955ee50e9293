// What the parts of the chat screen share (zulip-terminal's controller): each part is handed this and reads
// the others when it needs them, so they can be built in any order and the session's handlers, created
// before the parts that handle them, find them in place once events arrive.
import type { ChatSession } from "../chat-session";
import { SessionClosedError } from "../chat-session";
import type { CredentialStore } from "../credentials";
import type { LoggedIn } from "../login";
import type { RoomBook } from "../rooms";
import { sanitizeInline } from "../sanitize";
import type { Conversation } from "./conversation";
import type { Input } from "./input";
import type { Lifecycle } from "./lifecycle";
import type { Membership } from "./membership";
import type { Presence } from "./presence";
import type { Screen } from "./screen";
import type { Timers } from "./timers";
import type { Typing } from "./typing";

export interface TerminalChat {
  readonly serverUrl: string;
  readonly login: LoggedIn;
  readonly store: CredentialStore;
  /** the user's own name */
  readonly me: string;
  /** ring the terminal bell on a new mention (CHATTERBOX_BELL, --no-bell) */
  readonly bell: boolean;
  readonly session: ChatSession;
  readonly screen: Screen;
  readonly input: Input;
  readonly timers: Timers;
  /** the user's rooms and DMs, with unread counts */
  readonly book: RoomBook;
  readonly presence: Presence;
  /** the room or DM on screen */
  readonly conversation: Conversation;
  readonly membership: Membership;
  readonly typing: Typing;
  readonly lifecycle: Lifecycle;
}

export function reasonOf(err: unknown): string {
  return sanitizeInline(err instanceof Error ? err.message : String(err));
}

/** Let `task` (a command's work) run on; if it fails, say why on the screen. */
export function runTask(chat: TerminalChat, task: Promise<void>): void {
  task.catch((err: unknown) => {
    if (err instanceof SessionClosedError) return;
    chat.screen.warn(`! ${reasonOf(err)}`);
  });
}
