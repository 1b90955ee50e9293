// The screen: lines printed above an input line that output never clobbers. The prompt, the line being
// typed and the cursor in it are erased before each print and drawn again after it (irssi's "fe" layer).
import readline from "node:readline";
import { stripVTControlCharacters } from "node:util";
import stringWidth from "string-width";
import wrapAnsi from "wrap-ansi";
import { style } from "../render";

/** Terminal rows that `text` (a prompt and input, maybe several lines) takes at `columns` columns. */
function displayRows(text: string, columns: number): number {
  return stripVTControlCharacters(text)
    .split("\n")
    .reduce((rows, segment) => rows + Math.max(1, Math.ceil([...segment].length / columns)), 0);
}

// what leads a line: its indentation, and colour codes before or among those spaces
// eslint-disable-next-line no-control-regex -- matching the escape of a colour code is the point
const LEADING = /^(?:\u001b\[[0-9;]*m| )*/;
// eslint-disable-next-line no-control-regex -- as above
const COLOUR_CODES = /\u001b\[[0-9;]*m/g;
const HANG = 2;
/** narrower than this, rows are not indented at all */
const MIN_ROW = 10;

/**
 * One line broken at spaces into rows of `columns`, its indentation kept and the rows after its first hung
 * further in, so that where a message or a help entry goes on stays plain: an indented line's rows two columns
 * under its own start, an unindented one's at `hang` (a message's: the column its own later lines start at).
 * A word wider than a row (a link, most often) is left whole for the terminal to wrap, so that it is still
 * clicked and copied whole.
 */
function hangingWrap(line: string, columns: number, hang = HANG): string {
  if (stringWidth(line) <= columns) return line;
  const lead = LEADING.exec(line)?.[0] ?? "";
  const indent = stringWidth(lead);
  const under = indent > 0 ? indent + HANG : hang;
  if (columns - Math.max(indent, under) < MIN_ROW) return wrapAnsi(line, columns, { hard: false }); // too narrow to indent
  // the colour codes go on into the wrapped text (wrap-ansi carries them over to every row); the spaces do not
  const text = (lead.match(COLOUR_CODES)?.join("") ?? "") + line.slice(lead.length);
  // the first row as wide as the line's room allows, the rest (rejoined at the spaces it broke at) narrower
  const [first = "", ...others] = wrapAnsi(text, columns - indent, { hard: false }).split("\n");
  const rest = others.length ? wrapAnsi(others.join(" "), columns - under, { hard: false }).split("\n") : [];
  return [" ".repeat(indent) + first, ...rest.map((row) => " ".repeat(under) + row)].join("\n");
}

export interface PromptParts {
  me: string;
  /** `#general`, `@bob` */
  where: string;
  /** `[ops 2, @bob 1]`, or empty */
  unread: string;
  /** "alice is typing…", or empty: a status line above the prompt */
  typing: string;
}

/** `carol #general [ops 2, @bob 1]> `, below "alice is typing…" while someone types. */
export function promptLine({ me, where, unread, typing }: PromptParts, color: boolean): string {
  if (!color) return `${typing ? `${typing}\n` : ""}${me} ${where}${unread ? ` ${unread}` : ""}> `;
  const status = typing ? `${style.dim(typing)}\n` : "";
  return `${status}${style.bold(me)} ${style.cyan(where)}${unread ? ` ${style.yellow(unread)}` : ""}> `;
}

/** xterm's bracketed paste: the terminal marks a paste's start and end (input.ts sends a paste as one message) */
const PASTE_MARKS_ON = "\x1b[?2004h";
const PASTE_MARKS_OFF = "\x1b[?2004l";

export class Screen {
  readonly rl: readline.Interface;
  private isOpen = true;
  private promptShown = "";
  /** the shell after us gets its terminal back as it was, however this process ends */
  private readonly pasteMarksOff = () => {
    if (this.output.isTTY) this.output.write(PASTE_MARKS_OFF);
  };

  constructor(
    input: NodeJS.ReadStream,
    private readonly output: NodeJS.WriteStream,
    readonly color: boolean,
    private readonly promptText: () => string,
    completer?: (line: string) => [string[], string],
  ) {
    this.rl = readline.createInterface({
      input,
      output,
      terminal: true,
      historySize: 200,
      ...(completer && { completer }),
    });
    if (output.isTTY) {
      output.write(PASTE_MARKS_ON);
      process.once("exit", this.pasteMarksOff);
    }
  }

  /** Empties the input line (after a paste: input.ts sends it), returning what it held. */
  takeInputLine(): string {
    const { line } = this.rl;
    if (line === "") return "";
    this.clearInputArea();
    // emptied directly, not by a Ctrl-U through readline: its redraw would first move up by the rows it last
    // drew, which clearInputArea has already done, and erase printed lines above
    Object.assign(this.rl, { line: "", cursor: 0 });
    this.drawPrompt();
    return line;
  }

  /** False once the input has ended or the chat is over: lines are then printed plainly. */
  get open(): boolean {
    return this.isOpen;
  }

  /** The terminal's width, when printing to one (undefined into a pipe: lines are not cut or wrapped there). */
  get columns(): number | undefined {
    if (!this.output.isTTY) return undefined;
    return this.output.columns > 0 ? this.output.columns : 80;
  }

  /** The terminal bell (BEL): a mention of the user arrived. */
  bell(): void {
    this.output.write("\x07");
  }

  /**
   * Print above the input line, then redraw the prompt with the partial input and cursor. A line that is not
   * indented and wraps goes on at column `hang` (a message's later lines' column: render.ts' messageIndent).
   */
  print(text: string, hang?: number): void {
    if (!this.isOpen) {
      this.output.write(`${this.fit(text, hang)}\n`);
      return;
    }
    this.clearInputArea();
    this.output.write(`${this.fit(text, hang)}\n`);
    this.drawPrompt();
  }

  /**
   * On a terminal, lines broken at spaces to its width (the terminal itself would cut words in two), colours
   * kept; piped output stays one line per message, for scripts.
   */
  private fit(text: string, hang?: number): string {
    const { columns } = this;
    if (columns === undefined) return text;
    return text
      .split("\n")
      .map((line) => hangingWrap(line, columns, hang))
      .join("\n");
  }

  info(text: string): void {
    this.print(this.color ? style.dim(text) : text);
  }

  warn(text: string): void {
    this.print(this.color ? style.yellow(text) : text);
  }

  /** Redraw the prompt if what it shows (room, unread counts, who is typing) changed. */
  refreshPrompt(): void {
    if (this.promptText() === this.promptShown || !this.isOpen) return;
    this.clearInputArea();
    this.drawPrompt();
  }

  /**
   * Draw the prompt (with the partial input and cursor) again below whatever was printed since
   * `clearInputArea`. readline's redraw first moves up by the rows the cursor was below the prompt's start
   * at its last redraw: that area was already cleared here, so it is told it starts on this row.
   */
  drawPrompt(): void {
    this.promptShown = this.promptText();
    this.rl.setPrompt(this.promptShown);
    (this.rl as unknown as { prevRows?: number }).prevRows = 0;
    this.rl.prompt(true);
  }

  /**
   * Enter was pressed: remove what readline left (prompt and line), since the message shows up when the
   * server echoes it, and offer a fresh, empty input line; what follows prints above it.
   */
  submitted(line: string): void {
    if (this.output.isTTY) {
      const columns = this.output.columns > 0 ? this.output.columns : 80;
      readline.moveCursor(this.output, 0, -displayRows(this.promptShown + line, columns));
      readline.cursorTo(this.output, 0);
      readline.clearScreenDown(this.output);
    }
    this.drawPrompt();
  }

  /** No more input line (Ctrl-D, or the end): erase it once; later lines print plainly. */
  detach(): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.clearInputArea();
    this.pasteMarksOff();
    process.off("exit", this.pasteMarksOff);
  }

  /** Erase the prompt and the half-typed line (the cursor is somewhere in them). */
  private clearInputArea(): void {
    if (!this.output.isTTY) return;
    readline.moveCursor(this.output, 0, -this.rl.getCursorPos().rows);
    readline.cursorTo(this.output, 0);
    readline.clearScreenDown(this.output);
  }
}
