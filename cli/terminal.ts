// The interactive chat screen: one room (or direct-message conversation) at a time, printed above an input
// line that output never clobbers (the prompt, the line being typed and the cursor in it are redrawn after
// every print).
// - The prompt says who and where, and which other rooms have unread messages: `carol #general [ops 2, @bob 1]> `.
//   While others type in the current room a status line above it says so ("alice is typing…", ~3 s).
// - Messages of the current room print as they come; those of other rooms only count (a one-line notice
//   when a room goes from nothing unread to something). Showing a room marks it read (`room:read`).
// - /rooms, /join, /switch, /leave, /create, /invite, /dm, /who, /more: see /help. Keystrokes in a room send
//   `typing` at most every 2 s.
// - Printed messages carry a number for /reply, /edit, /delete and /react (actions.ts); later changes to
//   them are announced in one line (conversation.ts `updated`).
// - Tab completes commands, rooms and usernames (completion.ts); names have their own colours
//   (name-colors.ts); a day line precedes each day's first message (dates.ts); presence is told one line per
//   burst (presence-notices.ts).
// This file puts the parts in terminal/ together: screen (output and prompt), input (the readline loop),
// commands (the /command table), conversation (the room on screen), membership (moving between rooms),
// typing, presence, notices, lists (/rooms, /who), lifecycle (quit, logout) and session-events.
import { ChatSession } from "./chat-session";
import type { CredentialStore } from "./credentials";
import type { LoggedIn } from "./login";
import { formatUnread, RoomBook, viewLabel, type RoomRef } from "./rooms";
import { commandNames } from "./terminal/commands";
import { completeLine } from "./terminal/completion";
import type { TerminalChat } from "./terminal/context";
import { Conversation } from "./terminal/conversation";
import { Input } from "./terminal/input";
import { Lifecycle, type ChatOutcome } from "./terminal/lifecycle";
import { Membership } from "./terminal/membership";
import { Presence } from "./terminal/presence";
import { promptLine, Screen } from "./terminal/screen";
import { sessionHandlers } from "./terminal/session-events";
import { Timers } from "./terminal/timers";
import { Typing } from "./terminal/typing";
import { uploadStatus } from "./terminal/upload";

export type { ChatOutcome } from "./terminal/lifecycle";

export interface TerminalChatOptions {
  serverUrl: string;
  login: LoggedIn;
  store: CredentialStore;
  /** start in this room (joined if needed) or DM instead of general */
  room?: RoomRef;
  input?: NodeJS.ReadStream;
  output?: NodeJS.WriteStream;
  /** ring the bell on a new mention of the user (default true) */
  bell?: boolean;
}

class TerminalChatScreen implements TerminalChat {
  readonly serverUrl: string;
  readonly login: LoggedIn;
  readonly store: CredentialStore;
  readonly me: string;
  readonly bell: boolean;
  readonly timers = new Timers();
  readonly book: RoomBook;
  readonly presence = new Presence();
  readonly screen: Screen;
  readonly session: ChatSession;
  readonly conversation: Conversation;
  readonly membership: Membership;
  readonly typing: Typing;
  readonly input: Input;
  readonly lifecycle: Lifecycle;

  constructor(options: TerminalChatOptions, resolve: (outcome: ChatOutcome) => void) {
    const input = options.input ?? process.stdin;
    const output = options.output ?? process.stdout;
    ({ serverUrl: this.serverUrl, login: this.login, store: this.store } = options);
    this.me = this.login.username;
    this.bell = options.bell ?? true;
    this.book = new RoomBook(this.me);
    this.screen = new Screen(
      input,
      output,
      colorWanted(output),
      () => this.promptText(),
      (line) => this.complete(line),
    );
    // the handlers reach the parts below through `this` only once events arrive, after `start`
    this.session = new ChatSession({
      serverUrl: this.serverUrl,
      token: this.login.token,
      handlers: sessionHandlers(this, options.room),
    });
    this.conversation = new Conversation(this);
    this.membership = new Membership(this);
    this.typing = new Typing(this);
    this.input = new Input(this, input);
    this.lifecycle = new Lifecycle(this, resolve);
  }

  start(): void {
    this.input.start();
    this.session.start();
    this.screen.drawPrompt();
  }

  /** Tab: what the line's last word could be (commands, rooms, people known). */
  private complete(line: string): [string[], string] {
    const me = this.me.toLowerCase();
    return completeLine(line, {
      commands: commandNames(),
      rooms: [...this.book.list().flatMap((r) => (r.kind === "room" ? [r.name] : [])), ...this.membership.publicRooms],
      users: this.presence.names().filter((name) => name.toLowerCase() !== me),
    });
  }

  private promptText(): string {
    const { view } = this.conversation;
    const parts = {
      me: this.me,
      where: viewLabel(view),
      unread: formatUnread(this.book.unreadRooms(view.name)),
      typing: [uploadStatus(this), this.typing.status(view.name)].filter(Boolean).join("\n"),
    };
    return promptLine(parts, this.screen.color);
  }
}

/** ANSI colours only on a terminal, and never with NO_COLOR set (no-color.org). */
function colorWanted(output: NodeJS.WriteStream): boolean {
  return output.isTTY && !process.env.NO_COLOR;
}

export function runTerminalChat(options: TerminalChatOptions): Promise<ChatOutcome> {
  return new Promise<ChatOutcome>((resolve) => new TerminalChatScreen(options, resolve).start());
}
