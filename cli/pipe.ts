// Non-TTY mode (stdin or stdout is not a terminal): no prompts, no colours, no line editing.
// stdout carries only two kinds of lines: messages as `[HH:MM] username: content` (newlines in content
// shown as `\n`), and `connected` after each connection's history has been printed. Everything else
// (connection state, retries, refusals) goes to stderr. Each non-blank stdin line is sent as a message;
// at the end of stdin the client waits for the first history, for every message to be acked and echoed,
// then exits: 0 if every line was delivered, 1 otherwise (refused line, session revoked, …).
import readline from "node:readline";
import { contentSchema, describeZodError } from "../lib/protocol";
import { ChatSession, SessionClosedError } from "./chat-session";
import type { CredentialStore } from "./credentials";
import type { LoggedIn } from "./login";
import { CONNECTED_LINE, formatMessage, preview } from "./render";
import { sanitizeInline } from "./sanitize";

export interface PipeChatOptions {
  serverUrl: string;
  login: LoggedIn;
  store: CredentialStore;
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

  const session = new ChatSession({
    serverUrl,
    token: login.token,
    handlers: {
      messages: (messages) => {
        for (const m of messages) out(formatMessage(m, { oneLine: true }));
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

  const rl = readline.createInterface({ input: options.input ?? process.stdin, terminal: false, crlfDelay: Infinity });
  rl.on("line", (line) => {
    if (line.trim() === "") return;
    const valid = contentSchema.safeParse(line);
    if (!valid.success) {
      failures++;
      err(`! not sent (${describeZodError(valid.error)}): "${preview(line)}"`);
      return;
    }
    session.send(line).catch((error: unknown) => {
      failures++;
      const reason = error instanceof Error ? error.message : String(error);
      err(`! not sent (${sanitizeInline(reason)}): "${preview(line)}"`);
    });
  });
  const inputEnded = new Promise<void>((resolve) => rl.once("close", resolve));

  session.start();
  try {
    await Promise.race([inputEnded, fatal]);
    await Promise.race([session.whenReady(), fatal]);
    await Promise.race([session.settle(), fatal]);
    return failures > 0 ? 1 : 0;
  } catch {
    return 1;
  } finally {
    session.close();
    rl.close();
  }
}
