// The terminal screen breaks long lines at spaces to the terminal's width (the terminal itself would cut
// words in two), keeps colours across the break, follows a resize, and leaves piped output one line each.
import { stripVTControlCharacters } from "node:util";
import stringWidth from "string-width";
import { afterEach, describe, expect, it } from "vitest";
import { formatMessage, messageIndent } from "../../cli/render";
import { Screen } from "../../cli/terminal/screen";
import type { Message } from "../../lib/protocol";
import { unchanged } from "../helpers/message-fixture";
import { fakeTerminal } from "../helpers/terminal-screen";

const screens: Screen[] = [];
afterEach(() => {
  for (const s of screens.splice(0)) s.rl.close();
});

function terminal(tty: boolean, columns: number) {
  const { input, output, state } = fakeTerminal({ tty, columns });
  const screen = new Screen(input, output, false, () => "> ");
  screens.push(screen);
  screen.detach(); // no prompt: what is printed is all there is
  state.written = "";
  return { screen, output, raw: () => state.written, text: () => stripVTControlCharacters(state.written) };
}

const sentence = "[11] bob: lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod";

describe("Screen.print on a terminal", () => {
  it("breaks at spaces, never inside a word, no line wider than the terminal, the rows after the first indented", () => {
    const t = terminal(true, 30);
    t.screen.print(sentence);
    const lines = t.text().trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(30);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {2}\S/);
    // every word whole, in order
    expect(lines.join(" ").split(/\s+/).filter(Boolean)).toEqual(sentence.split(" "));
  });

  it("goes on with a message's first line where its own later lines start (under the name), the first row full", () => {
    const t = terminal(true, 40);
    const m: Message = {
      ...unchanged(7),
      id: 7,
      username: "bob",
      room: "general",
      timestamp: new Date(2024, 1, 7, 9, 5).toISOString(),
      content: "the deploy of web-1 finished and the canary looks healthy so far\nsecond paragraph here",
    };
    const options = { number: 12 };
    t.screen.print(formatMessage(m, options), messageIndent(m, options));
    const lines = t.text().trimEnd().split("\n");
    const later = lines.at(-1)!;
    expect(later).toBe(" ".repeat(13) + "second paragraph here");
    expect(messageIndent(m, options)).toBe("[12] [09:05] ".length);
    // the first row is filled to the width; its wrapped rows start in the column of the message's second line
    expect(lines[0]).toBe("[12] [09:05] bob: the deploy of web-1");
    for (const row of lines.slice(1, -1)) expect(row).toMatch(/^ {13}\S/);
    for (const row of lines) expect(stringWidth(row)).toBeLessThanOrEqual(40);
  });

  it("keeps a line's own indentation, and hangs its later rows under it", () => {
    const t = terminal(true, 40);
    t.screen.print("  /edit [n] <text>    change your message [n] (default: your last one here)");
    const lines = t.text().trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ {2}\/edit/);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {4}\S/);
  });

  it("leaves a word wider than a row whole on a row of its own, so that a link is still one", () => {
    const t = terminal(true, 30);
    const link = `https://chat.example.com/api/files/${"9b1f".repeat(10)}`;
    t.screen.print(`[4] bob: the report ${link} is up`);
    const lines = t.text().trimEnd().split("\n");
    expect(lines).toContain(`  ${link}`);
    expect(lines.join(" ").split(/\s+/).filter(Boolean)).toEqual(`[4] bob: the report ${link} is up`.split(" "));
  });

  it("keeps the indentation of coloured code (spaces on both sides of the colour code)", () => {
    const t = terminal(true, 40);
    t.screen.print("      \u001b[33m    if (ready) { return compute(alpha, beta, gamma); }\u001b[39m");
    const lines = t.text().trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ {10}if \(ready\)/);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {12}\S/);
  });

  it("measures columns, not characters: wide (CJK) text wraps at the terminal's width", () => {
    const t = terminal(true, 30);
    const words = ["你好世界", "这是一条", "很长的消息", "需要换行", "才能看清"];
    t.screen.print(words.join(" "));
    const lines = t.text().trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(30);
  });

  it("keeps a colour on every line it spans", () => {
    const t = terminal(true, 12);
    t.screen.print("\u001b[33maaaa bbbb cccc dddd\u001b[39m");
    const lines = t.raw().trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) {
      expect(line.trimStart().startsWith("\u001b[33m")).toBe(true);
      expect(line.endsWith("\u001b[39m")).toBe(true);
    }
  });

  it("leaves a line that fits as it is", () => {
    const t = terminal(true, 40);
    t.screen.print("  [3] bob: short");
    expect(t.text()).toBe("  [3] bob: short\n");
  });

  it("follows the terminal's width when it is resized", () => {
    const t = terminal(true, 80);
    t.screen.print(sentence);
    expect(t.text().trimEnd().split("\n")).toHaveLength(2);
    t.output.columns = 40;
    t.screen.print(sentence);
    expect(t.text().trimEnd().split("\n").length).toBeGreaterThan(3);
  });
});

describe("Screen.takeInputLine (a paste's last line, sent with it)", () => {
  it("empties a wrapped input line without erasing the lines printed above it", () => {
    const { input, output, state } = fakeTerminal({ tty: true, columns: 20 });
    const screen = new Screen(input, output, false, () => "> ");
    screens.push(screen);
    screen.drawPrompt();
    screen.rl.write("x".repeat(40)); // three rows of input at 20 columns
    screen.print("a message above"); // redraws the prompt and input below it
    state.written = "";
    expect(screen.takeInputLine()).toBe("x".repeat(40));
    expect(screen.rl.line).toBe("");
    // one move up to the prompt's first row (clearing what is below), none more into the printed lines
    // eslint-disable-next-line no-control-regex -- the cursor-up escape is what is counted
    const ups = [...state.written.matchAll(/\u001b\[(\d+)A/g)].map((m) => Number(m[1]));
    expect(ups).toEqual([2]);
  });
});

describe("Screen.print into a pipe", () => {
  it("writes each line whole, whatever its length", () => {
    const t = terminal(false, 20);
    t.screen.print(sentence);
    expect(t.text()).toBe(`${sentence}\n`);
  });
});
