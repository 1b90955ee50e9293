// The interactive chat screen: history and live messages printed above an input line that they never
// clobber (the line being typed, and the cursor in it, are redrawn after every print).
import readline from "node:readline";
import { contentSchema, describeZodError } from "../lib/protocol";
import { logout } from "./api";
import { ChatSession, SendRejectedError, SessionClosedError } from "./chat-session";
import type { CredentialStore } from "./credentials";
import type { LoggedIn } from "./login";
import { formatMessage, preview, style } from "./render";
import { sanitizeInline } from "./sanitize";

export type ChatOutcome = { kind: "quit" } | { kind: "logout" } | { kind: "unauthorized" };

export interface TerminalChatOptions {
  serverUrl: string;
  login: LoggedIn;
  store: CredentialStore;
  input?: NodeJS.ReadStream;
  output?: NodeJS.WriteStream;
}

const HELP = [
  "Commands:",
  "  /help     this list",
  "  /logout   log out of this server (forgets the saved token) and quit",
  "  /quit     quit (also Ctrl-D or Ctrl-C); waits for unsent messages",
  "  //text    send a message that starts with '/'",
].join("\n");

export function runTerminalChat(options: TerminalChatOptions): Promise<ChatOutcome> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const color = !process.env.NO_COLOR;
  const { serverUrl, login, store } = options;
  const promptText = color ? `${style.bold(login.username)}> ` : `${login.username}> `;
  const promptWidth = login.username.length + 2;

  const rl = readline.createInterface({ input, output, terminal: true, historySize: 200 });
  rl.setPrompt(promptText);
  let open = true;

  /** Print above the input line, then redraw the prompt with the partial input and cursor. */
  const print = (text: string) => {
    if (!open) {
      output.write(`${text}\n`);
      return;
    }
    const { rows } = rl.getCursorPos();
    readline.moveCursor(output, 0, -rows);
    readline.cursorTo(output, 0);
    readline.clearScreenDown(output);
    output.write(`${text}\n`);
    rl.prompt(true);
  };
  const info = (text: string) => print(color ? style.dim(text) : text);
  const warn = (text: string) => print(color ? style.yellow(text) : text);

  /** Remove the line readline left behind after Enter: the message shows up when the server echoes it. */
  const eraseSubmitted = (line: string) => {
    const columns = output.columns > 0 ? output.columns : 80;
    const rows = Math.max(1, Math.ceil((promptWidth + [...line].length) / columns));
    readline.moveCursor(output, 0, -rows);
    readline.cursorTo(output, 0);
    readline.clearScreenDown(output);
  };

  return new Promise<ChatOutcome>((resolve) => {
    let finished = false;
    const session = new ChatSession({
      serverUrl,
      token: login.token,
      handlers: {
        messages: (messages) => {
          for (const m of messages) print(formatMessage(m, { color, self: login.username }));
        },
        ready: ({ reconnect }) => {
          if (!reconnect) info("Type a message and press Enter. /help lists the commands.");
        },
        state: (state, detail) => {
          if (state === "connecting") info(`* connecting to ${serverUrl}…`);
          else if (state === "connected") info(`* connected as ${login.username}`);
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
      },
    });

    /** Stop reading input: the prompt and any half-typed line are removed from the screen. */
    const clearInputArea = () => {
      if (!output.isTTY) return;
      readline.moveCursor(output, 0, -rl.getCursorPos().rows);
      readline.cursorTo(output, 0);
      readline.clearScreenDown(output);
    };
    const closeInput = () => {
      if (!open) return;
      open = false;
      clearInputArea();
      rl.close();
    };

    const finish = (outcome: ChatOutcome) => {
      if (finished) return;
      finished = true;
      session.close();
      closeInput();
      resolve(outcome);
    };

    let quitting = false;
    const quit = () => {
      if (quitting) return finish({ kind: "quit" }); // second Ctrl-C / Ctrl-D: now
      quitting = true;
      const pending = session.pendingCount;
      if (pending === 0) return finish({ kind: "quit" });
      warn(`Waiting for ${pending} unsent message(s)… press Ctrl-C again to quit now.`);
      session.settle().then(
        () => finish({ kind: "quit" }),
        () => finish({ kind: "quit" }),
      );
    };

    const doLogout = () => {
      finished = true;
      session.close();
      closeInput();
      logout(serverUrl, login.token)
        .then(
          () => output.write("Logged out.\n"),
          (err: unknown) => {
            const reason = err instanceof Error ? err.message : String(err);
            output.write(
              `Could not tell the server (${sanitizeInline(reason)}); the token was forgotten here anyway.\n`,
            );
          },
        )
        .then(() => store.delete(serverUrl))
        .catch(() => undefined)
        .finally(() => resolve({ kind: "logout" }));
    };

    const submit = (line: string) => {
      const result = contentSchema.safeParse(line);
      if (!result.success) {
        if (line.trim() !== "") warn(`! not sent: ${describeZodError(result.error)}`);
        return;
      }
      if (!session.connected) info(`(not connected: “${preview(line)}” will be sent once reconnected)`);
      session.send(line).catch((err: unknown) => {
        if (err instanceof SendRejectedError) warn(`! not sent (${sanitizeInline(err.message)}): “${preview(line)}”`);
        else if (err instanceof SessionClosedError) return;
        else warn(`! not sent: ${err instanceof Error ? err.message : String(err)}`);
      });
    };

    rl.on("line", (line) => {
      if (!open) return;
      if (output.isTTY) eraseSubmitted(line);
      const command = line.trim();
      if (command.startsWith("/") && !command.startsWith("//")) {
        const name = command.split(/\s+/)[0]?.toLowerCase();
        if (name === "/quit" || name === "/exit") return quit();
        if (name === "/logout") return doLogout();
        if (name === "/help") info(HELP);
        else warn(`Unknown command ${name ?? ""}; /help lists the commands.`);
      } else {
        submit(command.startsWith("//") ? line.replace("//", "/") : line);
      }
      rl.prompt();
    });
    rl.on("SIGINT", quit);
    rl.on("close", () => {
      if (open) clearInputArea(); // Ctrl-D
      open = false;
      if (!finished) quit();
    });

    session.start();
    rl.prompt();
  });
}
