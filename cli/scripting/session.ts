// A socket.io session (the shared client core, through cli/chat-session.ts) for the scripting subcommands:
// connection states and notices go to stderr, a refused token ends it as "not logged in".
import { NetworkError, SessionClosedError } from "../../lib/client/errors";
import { DEFAULT_ROOM, type MessageAddress } from "../../lib/protocol";
import { ChatSession, type ChatSessionHandlers } from "../chat-session";
import type { RoomRef } from "../rooms";
import { sanitizeInline } from "../sanitize";
import type { Signed } from "./context";

/** How long a one-shot command waits for the first connection before calling the server unreachable. */
export const CONNECT_TIMEOUT_MS = 15_000;

type Handlers = Partial<Pick<ChatSessionHandlers, "messages" | "updated" | "ready">>;

export interface ScriptSession {
  session: ChatSession;
  /** rejects when the token is refused (SessionClosedError "unauthorized") */
  failed: Promise<never>;
}

export function openSession(signed: Signed, handlers: Handlers = {}, quiet = true): ScriptSession {
  let fail: (err: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failed.catch(() => undefined); // observed by the caller's race
  const err = (line: string) => void process.stderr.write(`${line}\n`);
  const session = new ChatSession({
    serverUrl: signed.serverUrl,
    token: signed.login.token,
    handlers: {
      messages: handlers.messages ?? (() => undefined),
      ...(handlers.updated ? { updated: handlers.updated } : {}),
      ready: handlers.ready ?? (() => undefined),
      state: (state, detail) => {
        if (!quiet || state === "reconnecting") err(`* ${state}${detail ? ` (${sanitizeInline(detail)})` : ""}`);
      },
      notice: (detail) => err(`! ${sanitizeInline(detail)}`),
      sendRetry: (_item, reason) => err(`! not delivered yet (${sanitizeInline(reason)}); retrying`),
      unauthorized: () => fail(new SessionClosedError("unauthorized")),
    },
  });
  session.start();
  return { session, failed };
}

/** Resolves once connected and the first history is in; a NetworkError after CONNECT_TIMEOUT_MS. */
export async function whenConnected({ session, failed }: ScriptSession, serverUrl: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new NetworkError(serverUrl, `no connection within ${CONNECT_TIMEOUT_MS / 1000} s`)),
      CONNECT_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([session.whenReady(), failed, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Where messages to `ref` go, joining a public room first as the chat does (a message needs membership);
 * a room the user cannot use is a RequestError (refused).
 */
export async function addressOf(session: ChatSession, ref: RoomRef | undefined): Promise<MessageAddress | undefined> {
  if (ref === undefined) return undefined;
  if (ref.kind === "dm") return { to: ref.user };
  if (ref.name.toLowerCase() !== DEFAULT_ROOM) await session.joinRoom(ref.name);
  return { room: ref.name };
}
