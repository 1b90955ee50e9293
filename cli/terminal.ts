// The interactive chat screen: one room (or direct-message conversation) at a time, printed above an input
// line that output never clobbers (the prompt, the line being typed and the cursor in it are redrawn after
// every print).
// - The prompt says who and where, and which other rooms have unread messages: `carol #general [ops 2, @bob 1]> `.
//   While others type in the current room a status line above it says so ("alice is typing…", ~3 s).
// - Messages of the current room print as they come; those of other rooms only count (a one-line notice
//   when a room goes from nothing unread to something). Showing a room marks it read (`room:read`).
// - /rooms, /join, /switch, /leave, /create, /invite, /dm, /who, /more: see HELP. Keystrokes in a room send
//   `typing` at most every 2 s.
import readline from "node:readline";
import { stripVTControlCharacters } from "node:util";
import { contentSchema, DEFAULT_ROOM, describeZodError, dmRoomName, type Message } from "../lib/protocol";
import { ApiError, listRooms, listUsers, logout, roomDirectory, roomMembers } from "./api";
import { ChatSession, RequestError, SendRejectedError, SessionClosedError, type SendTarget } from "./chat-session";
import type { CredentialStore } from "./credentials";
import type { LoggedIn } from "./login";
import { formatMessage, preview, style } from "./render";
import {
  dmView,
  formatNewNotice,
  formatRoomList,
  formatTyping,
  formatUnread,
  formatWho,
  generalView,
  parseInput,
  RoomBook,
  roomKey,
  sameRoom,
  TypingThrottle,
  TypingTracker,
  viewLabel,
  type Command,
  type RoomRef,
  type View,
} from "./rooms";
import { sanitizeInline } from "./sanitize";

export type ChatOutcome = { kind: "quit" } | { kind: "logout" } | { kind: "unauthorized" };

export interface TerminalChatOptions {
  serverUrl: string;
  login: LoggedIn;
  store: CredentialStore;
  /** start in this room (joined if needed) or DM instead of general */
  room?: RoomRef;
  input?: NodeJS.ReadStream;
  output?: NodeJS.WriteStream;
}

const HELP = [
  "Commands:",
  "  /rooms              your rooms and DMs (unread counts), public rooms to join",
  "  /join <room>        join a public room if needed, and go there (/j)",
  "  /switch <room>      go to one of your rooms, or to @user's DM (/s)",
  "  /create <room> [--private]   create a room (a private one: by /invite only)",
  "  /invite <user>      add someone to the current room",
  "  /leave [room]       leave the current room (not #general, not DMs)",
  "  /dm <user>          direct messages with someone (/msg)",
  "  /who                who is in this room: online, or when last seen",
  "  /more               earlier messages of this conversation, a page at a time",
  "  /help               this list",
  "  /logout             log out of this server (forgets the saved token), quit",
  "  /quit               quit (also Ctrl-D or Ctrl-C); waits for unsent messages",
  "  //text              send a message that starts with '/'",
].join("\n");

/** how long a "… is typing" report lasts without being renewed */
const TYPING_TTL_MS = 3_000;
/** at most one `typing` event per room this often */
const TYPING_INTERVAL_MS = 2_000;
/** other rooms' new-message notices are gathered this long, so a burst gives one line */
const NOTICE_DELAY_MS = 700;
/** live messages in the current room are marked read after this pause */
const READ_DELAY_MS = 500;
/** how many messages entering a room shows: its unread ones and a few before, within these bounds */
const SHOW_MIN = 15;
const SHOW_MAX = 50;
/** messages per /more */
const MORE_PAGE = 25;

/** Terminal rows that `text` (a prompt and input, maybe several lines) takes at `columns` columns. */
function displayRows(text: string, columns: number): number {
  return stripVTControlCharacters(text)
    .split("\n")
    .reduce((rows, segment) => rows + Math.max(1, Math.ceil([...segment].length / columns)), 0);
}

function reasonOf(err: unknown): string {
  return sanitizeInline(err instanceof Error ? err.message : String(err));
}

export function runTerminalChat(options: TerminalChatOptions): Promise<ChatOutcome> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const color = !process.env.NO_COLOR;
  const { serverUrl, login, store } = options;
  const me = login.username;
  const { token } = login;

  const book = new RoomBook(me);
  const typingIn = new TypingTracker(TYPING_TTL_MS);
  const typingOut = new TypingThrottle(TYPING_INTERVAL_MS);
  /** lower-case username → online, from presence events and user lists */
  const presence = new Map<string, boolean>();
  /** rooms this client is joining or creating / leaving itself: their room:joined / room:left need no notice */
  const joining = new Set<string>();
  const leaving = new Set<string>();
  let view: View = generalView();

  const learnPresence = (users: readonly { username: string; online: boolean }[]) => {
    for (const u of users) presence.set(u.username.toLowerCase(), u.online);
  };

  const rl = readline.createInterface({ input, output, terminal: true, historySize: 200 });
  let open = true;
  let promptShown = "";

  const promptText = (): string => {
    const unread = formatUnread(book.unreadRooms(view.name));
    const typing = formatTyping(typingIn.names(view.name, Date.now()));
    if (!color) return `${typing ? `${typing}\n` : ""}${me} ${viewLabel(view)}${unread ? ` ${unread}` : ""}> `;
    const status = typing ? `${style.dim(typing)}\n` : "";
    return `${status}${style.bold(me)} ${style.cyan(viewLabel(view))}${unread ? ` ${style.yellow(unread)}` : ""}> `;
  };

  /** Erase the prompt and the half-typed line (the cursor is somewhere in them). */
  const clearInputArea = () => {
    if (!output.isTTY) return;
    readline.moveCursor(output, 0, -rl.getCursorPos().rows);
    readline.cursorTo(output, 0);
    readline.clearScreenDown(output);
  };

  /**
   * Draw the prompt (with the partial input and cursor) again below whatever was printed since
   * `clearInputArea`. readline's redraw first moves up by the rows the cursor was below the prompt's start
   * at its last redraw: that area was already cleared here, so it is told it starts on this row.
   */
  const drawPrompt = () => {
    promptShown = promptText();
    rl.setPrompt(promptShown);
    (rl as unknown as { prevRows?: number }).prevRows = 0;
    rl.prompt(true);
  };

  /** Print above the input line, then redraw the prompt with the partial input and cursor. */
  const print = (text: string) => {
    if (!open) {
      output.write(`${text}\n`);
      return;
    }
    clearInputArea();
    output.write(`${text}\n`);
    drawPrompt();
  };
  const info = (text: string) => print(color ? style.dim(text) : text);
  const warn = (text: string) => print(color ? style.yellow(text) : text);

  /** Redraw the prompt if what it shows (room, unread counts, who is typing) changed. */
  const refreshPrompt = () => {
    if (promptText() === promptShown || !open) return;
    clearInputArea();
    drawPrompt();
  };

  /** Remove what readline left after Enter (prompt and line): the message shows up when the server echoes it. */
  const eraseSubmitted = (line: string) => {
    const columns = output.columns > 0 ? output.columns : 80;
    readline.moveCursor(output, 0, -displayRows(promptShown + line, columns));
    readline.cursorTo(output, 0);
    readline.clearScreenDown(output);
  };

  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void): NodeJS.Timeout => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
    return timer;
  };
  const cancel = (timer: NodeJS.Timeout | undefined) => {
    if (timer === undefined) return;
    clearTimeout(timer);
    timers.delete(timer);
  };

  return new Promise<ChatOutcome>((resolve) => {
    let finished = false;

    // ---- bookkeeping that reacts to the session ---------------------------------------------------------

    let typingTimer: NodeJS.Timeout | undefined;
    /** redraw when the next "… is typing" in the current room runs out */
    const scheduleTypingExpiry = () => {
      cancel(typingTimer);
      const next = typingIn.nextExpiry(view.name, Date.now());
      if (next === undefined) return;
      typingTimer = later(next - Date.now() + 20, () => {
        refreshPrompt();
        scheduleTypingExpiry();
      });
    };

    const noticeRooms = new Set<string>();
    let noticeTimer: NodeJS.Timeout | undefined;
    const queueNotice = (room: string) => {
      noticeRooms.add(roomKey(room));
      noticeTimer ??= later(NOTICE_DELAY_MS, () => {
        noticeTimer = undefined;
        for (const key of noticeRooms) {
          const entry = book.get(key);
          if (entry && entry.unread > 0 && !sameRoom(entry.name, view.name)) info(formatNewNotice(entry));
        }
        noticeRooms.clear();
      });
    };

    /** rooms shown up to some id whose room:read is about to go out (one per burst of messages) */
    const readSoon = new Map<string, { upTo: number; timer: NodeJS.Timeout }>();
    /** The current room is on screen: mark it read up to its newest message (soon, once per burst). */
    const markViewRead = (delayMs = READ_DELAY_MS) => {
      const entry = book.get(view.name);
      if (!entry) return; // a DM not started yet
      book.readLocally(entry.name);
      const { name } = entry;
      const key = roomKey(name);
      const pending = readSoon.get(key);
      cancel(pending?.timer);
      // what was shown: a later switch away does not make newer messages of this room read
      const upTo = Math.max(entry.lastMessageId, pending?.upTo ?? 0);
      const timer = later(delayMs, () => {
        readSoon.delete(key);
        const known = book.get(name);
        if (!known || upTo <= known.lastReadId || !session.connected) return;
        session.markRead(name, upTo).then(
          (unread) => {
            book.onRead({ room: name, lastReadId: upTo, unread });
            refreshPrompt();
          },
          () => undefined, // tried again with the next message or visit
        );
      });
      readSoon.set(key, { upTo, timer });
    };

    /** live messages of the room being entered, held while its history loads */
    let entering: Message[] | null = null;
    /** the oldest message shown of the current conversation: where /more goes on from */
    let oldestShown: number | undefined;
    let enterSeq = 0;
    const show = (m: Message) => print(formatMessage(m, { color, self: me, hideRoom: true }));

    /** Go to a room or DM: a header, its latest messages (given, or loaded), then it is marked read. */
    const enter = (next: View, history?: Message[]) => {
      const seq = ++enterSeq;
      view = next;
      oldestShown = undefined;
      entering = null; // anything held for a room being entered before belongs to that room
      typingOut.reset();
      cancel(typingTimer);
      const entry = book.get(next.name);
      const notes: string[] = [];
      if (next.kind === "room" && entry?.private) notes.push("private");
      if (next.kind === "dm") {
        const online = presence.get(next.peer.toLowerCase());
        if (online !== undefined) notes.push(online ? "online" : "offline");
      }
      info(`── ${viewLabel(next)}${notes.length > 0 ? ` (${notes.join(", ")})` : ""} ──`);
      const limit = Math.min(SHOW_MAX, Math.max(SHOW_MIN, (entry?.unread ?? 0) + 5));
      const done = (messages: Message[]) => {
        if (seq !== enterSeq) return;
        session.markSeen(messages);
        const byId = new Map<number, Message>();
        for (const m of [...messages.slice(-limit), ...(entering ?? [])]) byId.set(m.id, m);
        entering = null;
        const all = [...byId.values()].sort((a, b) => a.id - b.id);
        for (const m of all) book.onMessage(m, view.name);
        if (all.length === 0) {
          info(next.kind === "dm" ? "(no messages yet: the first one starts the conversation)" : "(no messages yet)");
        }
        for (const m of all) show(m);
        oldestShown = all[0]?.id;
        markViewRead(0);
        refreshPrompt();
      };
      refreshPrompt();
      if (history) return done(history);
      entering = [];
      session.page(next.name, { limit }).then(done, (err: unknown) => {
        if (seq !== enterSeq) return;
        // a DM that has no message yet does not exist yet
        if (!(err instanceof ApiError && err.status === 404 && next.kind === "dm")) {
          warn(`! could not load the messages of ${viewLabel(next)}: ${reasonOf(err)}`);
        }
        done([]);
      });
    };

    let firstReady = true;
    /** The rooms and unread counts from the server (on every connection), and who is online. */
    const refreshRooms = () =>
      Promise.all([listRooms(serverUrl, token), listUsers(serverUrl, token).catch(() => [])]).then(
        ([summaries, users]) => {
          learnPresence(users);
          book.replaceAll(summaries);
          if (view.kind === "room" && !book.has(view.name)) {
            warn(`* you are no longer in ${viewLabel(view)}`);
            enter(generalView());
          }
          markViewRead(0);
          refreshPrompt();
        },
        (err: unknown) => warn(`! could not load your rooms: ${reasonOf(err)}`),
      );

    // ---- the session ----------------------------------------------------------------------------------

    const session = new ChatSession({
      serverUrl,
      token,
      handlers: {
        messages: (messages) => {
          let here = false;
          for (const m of messages) {
            typingIn.clear(m.room, m.username);
            const counted = book.onMessage(m, view.name);
            if (sameRoom(m.room, view.name)) {
              here = true;
              if (entering) entering.push(m);
              else {
                show(m);
                oldestShown ??= m.id;
              }
            } else if (counted && book.get(m.room)?.unread === 1) {
              queueNotice(m.room);
            }
          }
          if (here) markViewRead();
          refreshPrompt();
        },
        ready: ({ reconnect }) => {
          if (!reconnect) info("Type a message and press Enter. /help lists the commands.");
          const start = firstReady ? options.room : undefined;
          firstReady = false;
          void refreshRooms().then(() => {
            if (start) runTask(start.kind === "dm" ? openDm(start.user) : joinRoom(start.name));
          });
        },
        state: (state, detail) => {
          if (state === "connecting") info(`* connecting to ${serverUrl}…`);
          else if (state === "connected") info(`* connected as ${me}`);
          else if (state === "reconnecting")
            warn(`* connection lost${detail ? ` (${sanitizeInline(detail)})` : ""}; reconnecting…`);
          else warn(`* disconnected${detail ? ` (${sanitizeInline(detail)})` : ""}`);
        },
        notice: (detail) => warn(`! ${sanitizeInline(detail)}`),
        sendRetry: (item, reason) =>
          warn(`! not delivered yet (${sanitizeInline(reason)}); retrying “${preview(item.content)}”`),
        unauthorized: () => {
          warn("! Your session has expired or was revoked. Please log in again.");
          store
            .delete(serverUrl, login.token)
            .catch(() => undefined)
            .finally(() => finish({ kind: "unauthorized" }));
        },
        roomJoined: (summary) => {
          const known = book.has(summary.name);
          book.upsert(summary);
          if (!known && !joining.has(roomKey(summary.name)) && summary.kind === "room") {
            const name = sanitizeInline(summary.name);
            info(`* you are now in #${name}${summary.private ? " (private)" : ""}: /switch ${name} to go there`);
          }
          refreshPrompt();
        },
        roomLeft: (room) => {
          const known = book.get(room);
          book.remove(room);
          if (leaving.has(roomKey(room))) return refreshPrompt(); // /leave here: it says so and moves on
          if (known) info(`* you left #${sanitizeInline(known.name)}`);
          if (sameRoom(view.name, room)) enter(generalView());
          refreshPrompt();
        },
        roomRead: (marker) => {
          book.onRead(marker);
          refreshPrompt();
        },
        typing: ({ room, username }) => {
          if (username.toLowerCase() === me.toLowerCase()) return;
          typingIn.add(room, username, Date.now());
          if (!sameRoom(room, view.name)) return;
          refreshPrompt();
          scheduleTypingExpiry();
        },
        member: ({ room, username, joined }) => {
          if (view.kind === "room" && sameRoom(room, view.name)) {
            info(`* ${sanitizeInline(username)} ${joined ? "joined" : "left"} ${viewLabel(view)}`);
          }
        },
        presence: ({ username, online }) => {
          const key = username.toLowerCase();
          const was = presence.get(key);
          presence.set(key, online);
          if (key === me.toLowerCase() || was === online) return;
          const talking = book.dmPeers().has(key) || (view.kind === "dm" && view.peer.toLowerCase() === key);
          if (talking) info(`* ${sanitizeInline(username)} is ${online ? "online" : "offline"}`);
        },
      },
    });

    // ---- commands -----------------------------------------------------------------------------------

    const runTask = (task: Promise<void>) => {
      task.catch((err: unknown) => {
        if (err instanceof SessionClosedError) return;
        warn(`! ${reasonOf(err)}`);
      });
    };

    const openDm = async (user: string): Promise<void> => {
      if (user.toLowerCase() === me.toLowerCase()) return warn("That is you: /dm someone else.");
      const known = book.get(dmRoomName(me, user));
      if (known?.peer) return enter(dmView(me, known.peer));
      const users = await listUsers(serverUrl, token);
      learnPresence(users);
      const found = users.find((u) => u.username.toLowerCase() === user.toLowerCase());
      if (!found) return warn(`! No user named ${sanitizeInline(user)}`);
      enter(dmView(me, found.username));
    };

    const joinRoom = async (name: string): Promise<void> => {
      const known = book.get(name);
      if (known) return enter({ kind: "room", name: known.name });
      const key = roomKey(name);
      joining.add(key);
      try {
        const { room, messages } = await session.joinRoom(name);
        book.upsert(room);
        enter({ kind: "room", name: room.name }, messages);
      } catch (err) {
        if (err instanceof RequestError && err.code === "not_found") {
          return warn(`! No room named #${sanitizeInline(name)} (private rooms need an /invite; /rooms lists rooms)`);
        }
        throw err;
      } finally {
        joining.delete(key);
      }
    };

    const switchTo = (target: RoomRef): Promise<void> => {
      if (target.kind === "dm") return openDm(target.user);
      const known = book.get(target.name);
      if (!known) {
        const name = sanitizeInline(target.name);
        warn(`You are not in #${name}: /join ${name}`);
        return Promise.resolve();
      }
      enter({ kind: "room", name: known.name });
      return Promise.resolve();
    };

    const createRoom = async (name: string, isPrivate: boolean): Promise<void> => {
      const key = roomKey(name);
      joining.add(key);
      try {
        const room = await session.createRoom(name, isPrivate);
        book.upsert(room);
        const label = `#${sanitizeInline(room.name)}`;
        info(`* created ${label}${isPrivate ? " (private: only people you /invite can see it)" : ""}`);
        enter({ kind: "room", name: room.name }, []);
      } finally {
        joining.delete(key);
      }
    };

    const leaveRoom = async (named?: string): Promise<void> => {
      if (named === undefined && view.kind === "dm") return warn("Direct messages cannot be left.");
      const name = named ?? view.name;
      if (sameRoom(name, DEFAULT_ROOM)) return warn("Everyone stays in #general.");
      const entry = book.get(name);
      if (!entry || entry.kind !== "room") return warn(`You are not in #${sanitizeInline(name)}.`);
      const key = roomKey(entry.name);
      leaving.add(key);
      try {
        await session.leaveRoom(entry.name);
        book.remove(entry.name);
        info(`* left #${sanitizeInline(entry.name)}`);
      } finally {
        leaving.delete(key);
        // (also when the ack was lost but the server's room:left came)
        if (sameRoom(view.name, entry.name) && !book.has(entry.name)) enter(generalView());
      }
    };

    const invite = async (username: string): Promise<void> => {
      if (view.kind === "dm")
        return warn("Direct messages are for two: /create a private room and /invite people to it.");
      if (sameRoom(view.name, DEFAULT_ROOM)) return warn("Everyone is in #general already.");
      await session.invite(view.name, username);
      info(`* ${sanitizeInline(username)} is in ${viewLabel(view)} now`);
    };

    /** /more: the page before the oldest message shown, printed below between two rules (newer ones are above) */
    const more = async (): Promise<void> => {
      const here = view;
      const before = oldestShown;
      if (entering) return info("(still loading this conversation: try again in a moment)");
      if (before === undefined) return info("(nothing earlier)");
      const page = await session.page(here.name, { limit: MORE_PAGE, before });
      if (view !== here || oldestShown !== before) return; // moved on, or asked twice
      const first = page[0];
      if (!first) return info(`── that is all: the beginning of ${viewLabel(here)} is above ──`);
      session.markSeen(page);
      oldestShown = first.id;
      info(`── ${page.length} earlier in ${viewLabel(here)} ──`);
      for (const m of page) show(m);
      info(
        page.length < MORE_PAGE
          ? `── the beginning of ${viewLabel(here)} ──`
          : "── end of the earlier page: /more for the one before ──",
      );
      refreshPrompt();
    };

    const listAll = async (): Promise<void> => {
      const [rooms, directory, users] = await Promise.all([
        listRooms(serverUrl, token),
        roomDirectory(serverUrl, token),
        listUsers(serverUrl, token).catch(() => undefined),
      ]);
      book.replaceAll(rooms);
      if (users) learnPresence(users);
      info(formatRoomList({ rooms: book.list(), directory, current: view, ...(users ? { users } : {}) }));
      refreshPrompt();
    };

    const who = async (): Promise<void> => {
      const here = view;
      const [users, members] = await Promise.all([
        listUsers(serverUrl, token),
        here.kind === "dm"
          ? Promise.resolve([me, here.peer])
          : sameRoom(here.name, DEFAULT_ROOM)
            ? Promise.resolve(undefined)
            : roomMembers(serverUrl, token, here.name),
      ]);
      learnPresence(users);
      info(formatWho({ users, current: here, ...(members ? { members } : {}) }));
    };

    const run = (command: Command) => {
      switch (command.name) {
        case "help":
          return info(HELP);
        case "quit":
          return quit();
        case "logout":
          return doLogout();
        case "rooms":
          return runTask(listAll());
        case "who":
          return runTask(who());
        case "more":
          return runTask(more());
        case "join":
          return runTask(command.target.kind === "dm" ? openDm(command.target.user) : joinRoom(command.target.name));
        case "switch":
          return runTask(switchTo(command.target));
        case "create":
          return runTask(createRoom(command.room, command.private));
        case "leave":
          return runTask(leaveRoom(command.room));
        case "invite":
          return runTask(invite(command.username));
        case "dm":
          return runTask(openDm(command.username));
      }
    };

    // ---- input and lifecycle ------------------------------------------------------------------------

    const onKeypress = (
      _text: string | undefined,
      key: { name?: string; ctrl?: boolean; meta?: boolean } | undefined,
    ) => {
      if (!open || key?.name === "return" || key?.name === "enter" || key?.ctrl || key?.meta) return;
      const line = rl.line;
      if (line.trim() === "" || line.trimStart().startsWith("/")) return;
      const entry = book.get(view.name);
      if (!entry) return; // a DM without messages has no room yet: nobody to tell
      if (typingOut.shouldSend(entry.name, Date.now())) session.typing(entry.name);
    };
    input.on("keypress", onKeypress);

    const closeInput = () => {
      if (!open) return;
      open = false;
      input.off("keypress", onKeypress);
      clearInputArea();
      rl.close();
    };

    const finish = (outcome: ChatOutcome) => {
      if (finished) return;
      finished = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      session.close();
      closeInput();
      resolve(outcome);
    };

    let quitting = false;
    function quit(): void {
      if (quitting) return finish({ kind: "quit" }); // second Ctrl-C / Ctrl-D: now
      quitting = true;
      const pending = session.pendingCount;
      if (pending === 0) return finish({ kind: "quit" });
      warn(`Waiting for ${pending} unsent message(s)… press Ctrl-C again to quit now.`);
      session.settle().then(
        () => finish({ kind: "quit" }),
        () => finish({ kind: "quit" }),
      );
    }

    function doLogout(): void {
      finished = true;
      for (const timer of timers) clearTimeout(timer);
      session.close();
      closeInput();
      logout(serverUrl, login.token)
        .then(
          () => output.write("Logged out.\n"),
          (err: unknown) => {
            output.write(`Could not tell the server (${reasonOf(err)}); the token was forgotten here anyway.\n`);
          },
        )
        .then(() => store.delete(serverUrl))
        .catch(() => undefined)
        .finally(() => resolve({ kind: "logout" }));
    }

    const submit = (line: string) => {
      const result = contentSchema.safeParse(line);
      if (!result.success) {
        if (line.trim() !== "") warn(`! not sent: ${describeZodError(result.error)}`);
        return;
      }
      const target: SendTarget | undefined =
        view.kind === "dm" ? { to: view.peer } : sameRoom(view.name, DEFAULT_ROOM) ? undefined : { room: view.name };
      typingOut.reset();
      if (!session.connected) info(`(not connected: “${preview(line)}” will be sent once reconnected)`);
      session.send(line, target).catch((err: unknown) => {
        if (err instanceof SendRejectedError) warn(`! not sent (${sanitizeInline(err.message)}): “${preview(line)}”`);
        else if (err instanceof SessionClosedError) return;
        else warn(`! not sent: ${reasonOf(err)}`);
      });
    };

    rl.on("line", (line) => {
      if (!open) return;
      if (output.isTTY) eraseSubmitted(line);
      drawPrompt(); // a fresh, empty input line; what follows prints above it
      const parsed = parseInput(line);
      if (parsed.kind === "message") submit(parsed.content);
      else if (parsed.kind === "error") warn(parsed.message);
      else if (parsed.kind === "command") run(parsed.command);
    });
    rl.on("SIGINT", quit);
    rl.on("close", () => {
      if (open) clearInputArea(); // Ctrl-D
      open = false;
      input.off("keypress", onKeypress);
      if (!finished) quit();
    });

    session.start();
    drawPrompt();
  });
}
