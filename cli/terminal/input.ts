// The input loop: each line submitted is a message to the room on screen, a /command or a usage error;
// keystrokes announce typing; Ctrl-C and Ctrl-D quit. A paste of several lines is one message, not one per line
// (the terminal marks a paste's start and end: bracketed paste, turned on by screen.ts).
import { contentSchema, DEFAULT_ROOM, describeZodError, type FileInfo } from "../../lib/protocol";
import { SendRejectedError, SessionClosedError, type SendTarget } from "../chat-session";
import { preview } from "../render";
import { sameRoom } from "../rooms";
import { sanitizeInline } from "../sanitize";
import { parseInput, runCommand } from "./commands";
import { reasonOf, type TerminalChat } from "./context";

interface Key {
  name?: string;
  ctrl?: boolean;
  meta?: boolean;
}

export class Input {
  /** the lines of a paste under way, null between pastes */
  private pasted: string[] | null = null;

  private readonly onKeypress = (_text: string | undefined, key: Key | undefined) => {
    // node's keypress parser names the terminal's paste marks; readline itself goes on splitting the lines
    if (key?.name === "paste-start") this.pasted = [];
    else if (key?.name === "paste-end") this.pasteEnded();
    if (!this.chat.screen.open || key?.name === "return" || key?.name === "enter" || key?.ctrl || key?.meta) return;
    this.chat.typing.keystroke(this.chat.screen.rl.line);
  };

  constructor(
    private readonly chat: TerminalChat,
    private readonly stream: NodeJS.ReadStream,
  ) {}

  start(): void {
    const { rl } = this.chat.screen;
    this.stream.on("keypress", this.onKeypress);
    rl.on("line", (line) => this.submitted(line));
    rl.on("SIGINT", () => this.chat.lifecycle.quit());
    rl.on("close", () => this.ended());
  }

  /** The chat is over: no more input line. */
  close(): void {
    const { screen } = this.chat;
    if (!screen.open) return;
    screen.detach();
    this.stream.off("keypress", this.onKeypress);
    screen.rl.close();
  }

  private submitted(line: string): void {
    const { screen } = this.chat;
    if (!screen.open) return;
    screen.submitted(line);
    if (this.pasted) this.pasted.push(line);
    else this.handle(line);
  }

  /**
   * The paste's lines, and what it left in the input line after its last newline, go as one message. A paste
   * of one line without a newline stays in the input line for Enter, as typed text does.
   */
  private pasteEnded(): void {
    const lines = this.pasted;
    this.pasted = null;
    const { screen } = this.chat;
    if (!lines?.length || !screen.open) return;
    const rest = screen.takeInputLine();
    this.handle([...lines, ...(rest === "" ? [] : [rest])].join("\n"));
  }

  private handle(line: string): void {
    const { screen } = this.chat;
    const parsed = parseInput(line);
    if (parsed.kind === "message") this.send(parsed.content);
    else if (parsed.kind === "error") screen.warn(parsed.message);
    else if (parsed.kind === "command") runCommand(this.chat, parsed.command);
  }

  /** Ctrl-D (or the input stream ended, or `close`). */
  private ended(): void {
    this.chat.screen.detach();
    this.stream.off("keypress", this.onKeypress);
    if (!this.chat.lifecycle.finished) this.chat.lifecycle.quit();
  }

  /**
   * Send to the room or DM on screen (a reply to `replyTo`, carrying uploaded `files`; the text may then be
   * empty); it shows up when the server echoes it.
   */
  send(line: string, replyTo?: number, files: readonly FileInfo[] = []): void {
    const { screen, session, conversation } = this.chat;
    const result = contentSchema.safeParse(line);
    const filesAlone = files.length > 0 && line.trim() === "";
    if (!result.success && !filesAlone) {
      if (line.trim() !== "") screen.warn(`! not sent: ${describeZodError(result.error)}`);
      return;
    }
    const content = result.success ? result.data : "";
    const { view } = conversation;
    const target: SendTarget | undefined =
      view.kind === "dm" ? { to: view.peer } : sameRoom(view.name, DEFAULT_ROOM) ? undefined : { room: view.name };
    this.chat.typing.sent();
    if (!session.connected) screen.info(`(not connected: “${preview(line)}” will be sent once reconnected)`);
    const options = { replyTo, ...(files.length && { files: files.map((f) => f.id) }) };
    session.send(content, target, options).catch((err: unknown) => {
      if (err instanceof SendRejectedError)
        screen.warn(`! not sent (${sanitizeInline(err.message)}): “${preview(line)}”`);
      else if (err instanceof SessionClosedError) return;
      else screen.warn(`! not sent: ${reasonOf(err)}`);
    });
  }
}
