// The real client core (lib/client, through the terminal client's ChatSession) for tests that kill servers
// (one process or several): a session that records what it was shown, in order, and how many sends it retried.
// And a pool of plain socket.io clients for the multi-process suites.
import { ChatSession } from "@/cli/chat-session";
import type { Message } from "@/lib/protocol";
import { connectSocket } from "./remote";
import { waitConnected } from "./socket-utils";
import type { TestSocket } from "./test-server";

export interface RecordingSession {
  session: ChatSession;
  /** every message handed over as new, in order */
  shown: Message[];
  retries(): number;
  /** the shown messages whose content starts with `prefix` */
  shownWith(prefix: string): Message[];
}

export async function openSession(serverUrl: string, token: string): Promise<RecordingSession> {
  const shown: Message[] = [];
  let retries = 0;
  const session = new ChatSession({
    serverUrl,
    token,
    ackTimeoutMs: 2_000,
    handlers: {
      messages: (batch) => shown.push(...batch),
      ready: () => undefined,
      state: () => undefined,
      notice: () => undefined,
      sendRetry: () => retries++,
      unauthorized: () => undefined,
    },
  });
  session.start();
  await session.whenReady();
  return {
    session,
    shown,
    retries: () => retries,
    shownWith: (prefix) => shown.filter((m) => m.content.startsWith(prefix)),
  };
}

/**
 * socket.io clients a suite opens on any process, connected before they are handed over, and all
 * disconnected by `closeAll` (its afterAll).
 */
export function socketPool() {
  const sockets: TestSocket[] = [];
  return {
    open: async (url: string, token: string): Promise<TestSocket> => {
      const socket = connectSocket(url, { token });
      sockets.push(socket);
      await waitConnected(socket);
      return socket;
    },
    closeAll: (): void => {
      for (const s of sockets.splice(0)) s.disconnect();
    },
  };
}
