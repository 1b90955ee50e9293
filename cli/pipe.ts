// Non-TTY mode (stdin or stdout is not a terminal): no prompts, no colours, no line editing.
// stdout carries only two kinds of lines: messages as `[HH:MM] username: content` (newlines in content
// shown as `\n`), and `connected` after each connection's history has been printed. Everything else
// (connection state, retries, refusals) goes to stderr. Each non-blank stdin line is sent as a message;
// at the end of stdin the client waits for the first history, for every message to be acked and echoed,
// then exits: 0 if every line was delivered, 1 otherwise (refused line, session revoked, …).
// With `room` (`--room ops`, `--room @bob`) the lines go to that room (joined first if it is public) or
// as direct messages to that user, and only that room's messages are printed (its latest ones, then live);
// without it everything is as it always was: lines go to general, and every message received is printed.
import readline from "node:readline";
import { contentSchema, DEFAULT_ROOM, describeZodError, dmRoomName, type Message } from "../lib/protocol";
import { ApiError } from "./api";
import { ChatSession, SessionClosedError, type SendTarget } from "./chat-session";
import type { CredentialStore } from "./credentials";
import type { LoggedIn } from "./login";
import { CONNECTED_LINE, formatMessage, preview } from "./render";
import type { RoomRef } from "./rooms";
import { sanitizeInline } from "./sanitize";

export interface PipeChatOptions {
  serverUrl: string;
  login: LoggedIn;
  store: CredentialStore;
  /** send to and print only this room or DM */
  room?: RoomRef;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  errors?: NodeJS.WritableStream;
}

/** Run until stdin ends (or the token is refused); resolves with the exit code. */
export async function runPipeChat(options: PipeChatOptions): Promise<number> {
  const { serverUrl, login, store } = options;
  const output = options.output ?? process.stdout;
  const errors = options.errors ?? process.stderr;
  const out = (line: string) => void output.write(`${line}\n`);
  const err = (line: string) => void errors.write(`${line}\n`);
  let failures = 0;

  let rejectFatal: (error: Error) => void = () => undefined;
  const fatal = new Promise<never>((_, reject) => {
    rejectFatal = reject;
  });
  fatal.catch(() => undefined); // observed below; never an unhandled rejection

  // --room: where lines go, which messages are printed, and what to load before the first `connected`
  const room = options.room;
  let roomName: string | undefined =
    room === undefined ? undefined : room.kind === "dm" ? dmRoomName(login.username, room.user) : room.name;
  const target: SendTarget | undefined =
    room === undefined ? undefined : room.kind === "dm" ? { to: room.user } : { room: room.name };
  const inRoom = (m: Message) => roomName === undefined || m.room.toLowerCase() === roomName.toLowerCase();
  const loadRoom = async ({ reconnect }: { reconnect: boolean }): Promise<Message[]> => {
    // a reconnect's history already fills the gap in every room the user is in
    if (room === undefined || reconnect) return [];
    try {
      if (room.kind === "room" && room.name.toLowerCase() !== DEFAULT_ROOM) {
        const joined = await session.joinRoom(room.name);
        roomName = joined.room.name;
        return joined.messages;
      }
      return await session.page(roomName ?? DEFAULT_ROOM, { limit: 50 });
    } catch (error) {
      // a DM nobody wrote in yet does not exist yet
      if (room.kind === "dm" && error instanceof ApiError && error.status === 404) return [];
      const label = room.kind === "dm" ? `@${room.user}` : `#${room.name}`;
      err(
        `! cannot use ${sanitizeInline(label)}: ${sanitizeInline(error instanceof Error ? error.message : String(error))}`,
      );
      rejectFatal(error instanceof Error ? error : new Error(String(error)));
      return [];
    }
  };

  const session = new ChatSession({
    serverUrl,
    token: login.token,
    ...(room ? { beforeReady: loadRoom } : {}),
    handlers: {
      messages: (messages) => {
        for (const m of messages) if (inRoom(m)) out(formatMessage(m, { oneLine: true, baseUrl: serverUrl }));
      },
      ready: () => out(CONNECTED_LINE),
      state: (state, detail) => err(`* ${state}${detail ? ` (${sanitizeInline(detail)})` : ""}`),
      notice: (detail) => err(`! ${sanitizeInline(detail)}`),
      sendRetry: (item, reason) =>
        err(`! not delivered yet (${sanitizeInline(reason)}); retrying "${preview(item.content)}"`),
      unauthorized: () => {
        err(`! ${serverUrl} refused the token (expired or revoked); log in again.`);
        store
          .delete(serverUrl, login.token)
          .catch(() => undefined)
          .finally(() => rejectFatal(new SessionClosedError("unauthorized")));
      },
    },
  });

  // with --room, lines wait for the room to be joined (a message to a public room needs membership)
  const roomReady = room ? session.whenReady() : Promise.resolve();
  roomReady.catch(() => undefined);

  const sent: Promise<void>[] = [];
  const rl = readline.createInterface({ input: options.input ?? process.stdin, terminal: false, crlfDelay: Infinity });
  rl.on("line", (line) => {
    if (line.trim() === "") return;
    const valid = contentSchema.safeParse(line);
    if (!valid.success) {
      failures++;
      err(`! not sent (${describeZodError(valid.error)}): "${preview(line)}"`);
      return;
    }
    const delivered = roomReady
      .then(() => session.send(line, target))
      .then(
        () => undefined,
        (error: unknown) => {
          failures++;
          const reason = error instanceof Error ? error.message : String(error);
          err(`! not sent (${sanitizeInline(reason)}): "${preview(line)}"`);
        },
      );
    sent.push(delivered);
  });
  const inputEnded = new Promise<void>((resolve) => rl.once("close", resolve));

  session.start();
  try {
    await Promise.race([inputEnded, fatal]);
    await Promise.race([session.whenReady(), fatal]);
    await Promise.race([Promise.all(sent), fatal]);
    await Promise.race([session.settle(), fatal]);
    return failures > 0 ? 1 : 0;
  } catch {
    return 1;
  } finally {
    session.close();
    rl.close();
  }
}
