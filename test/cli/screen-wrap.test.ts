// The terminal screen breaks long lines at spaces to the terminal's width (the terminal itself would cut
// words in two), keeps colours across the break, follows a resize, and leaves piped output one line each.
import { stripVTControlCharacters } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { Screen } from "../../cli/terminal/screen";
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

  it("keeps a line's own indentation, and hangs its later rows under it", () => {
    const t = terminal(true, 40);
    t.screen.print("  /edit [n] <text>    change your message [n] (default: your last one here)");
    const lines = t.text().trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ {2}\/edit/);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {4}\S/);
  });

  it("cuts a word longer than a line, losing nothing", () => {
    const t = terminal(true, 20);
    t.screen.print("x".repeat(50));
    const lines = t.text().trimEnd().split("\n");
    expect(lines.join("").replaceAll(" ", "")).toBe("x".repeat(50));
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(20);
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

describe("Screen.print into a pipe", () => {
  it("writes each line whole, whatever its length", () => {
    const t = terminal(false, 20);
    t.screen.print(sentence);
    expect(t.text()).toBe(`${sentence}\n`);
  });
});
