// The terminal chat screen (runTerminalChat in-process) on fake terminal streams, against a test server:
// `enter` submits a line, `type` feeds keystrokes, `screen()` is everything printed (escapes stripped),
// `mark()` / `since()` / `waitFor()` look only at what came after the last mark.
//
//   const tty = await openScreen(server, configHome, "alice", PASSWORD);
//   tty.enter("/join ops");
//   await tty.waitFor(/── #ops ──/);
import path from "node:path";
import { PassThrough, Writable } from "node:stream";
import { stripVTControlCharacters } from "node:util";
import { CredentialStore } from "@/cli/credentials";
import { runTerminalChat, type ChatOutcome } from "@/cli/terminal";
import type { TestServer } from "./test-server";

export async function until<T>(probe: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

export type TerminalScreen = Awaited<ReturnType<typeof openScreen>>;

/** A keyboard and a screen `columns` wide (a pipe when `tty` is false); `written` is all that was printed. */
export function fakeTerminal({ tty = true, columns = 200 }: { tty?: boolean; columns?: number } = {}) {
  const input = Object.assign(new PassThrough(), { isTTY: tty }) as unknown as NodeJS.ReadStream & PassThrough;
  const state = { written: "" };
  const output = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        state.written += chunk.toString();
        callback();
      },
    }),
    { isTTY: tty, columns, rows: 50 },
  ) as unknown as NodeJS.WriteStream & { columns: number };
  return { input, output, state };
}

export async function openScreen(server: TestServer, configHome: string, username: string, password: string) {
  const token = await server.token(username, password);
  const { input, output, state } = fakeTerminal();
  const outcome: Promise<ChatOutcome> = runTerminalChat({
    serverUrl: server.url,
    login: { token, username },
    store: new CredentialStore(path.join(configHome, `${username}-tty`)),
    input,
    output,
  });
  const screen = () => stripVTControlCharacters(state.written);
  const from = { mark: 0 };
  return {
    token,
    outcome,
    screen,
    /** everything written, control sequences included */
    raw: () => state.written,
    /** what was printed since the last `mark()` */
    since: () => screen().slice(from.mark),
    mark: () => {
      from.mark = screen().length;
    },
    type: (text: string) => input.write(text),
    enter: (line: string) => input.write(`${line}\r`),
    waitFor: (pattern: RegExp | string, ms = 10_000) =>
      until(() => {
        const text = screen().slice(from.mark);
        return (typeof pattern === "string" ? text.includes(pattern) : pattern.test(text)) ? true : undefined;
      }, ms).catch(() => {
        throw new Error(`${String(pattern)} not on the screen:\n${screen().slice(from.mark)}`);
      }),
  };
}
