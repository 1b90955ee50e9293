import { describe, expect, it } from "vitest";
import type { Message } from "../../lib/protocol";
import stringWidth from "string-width";
import {
  cutToWidth,
  formatMessage,
  formatTime,
  parseMessageLine,
  preview,
  quote,
  ringsBell,
  style,
} from "../../cli/render";
import { nameColorCode } from "../../cli/name-colors";
import { unchanged } from "../helpers/message-fixture";

const at = (hours: number, minutes: number) => new Date(2024, 1, 7, hours, minutes, 30).toISOString();
const message = (over: Partial<Message> = {}): Message => ({
  ...unchanged(1),
  id: 1,
  username: "alice",
  content: "Hello!",
  timestamp: at(9, 5),
  room: "general",
  ...over,
});

describe("render", () => {
  it("formats local time as HH:MM", () => {
    expect(formatTime(at(9, 5))).toBe("09:05");
    expect(formatTime(at(23, 59))).toBe("23:59");
    expect(formatTime("not a date")).toBe("--:--");
  });

  it("prints [HH:MM] username: content, sanitized", () => {
    expect(formatMessage(message())).toBe("[09:05] alice: Hello!");
    expect(formatMessage(message({ content: "\u001b[2Jboom\r" }))).toBe("[09:05] alice: boom");
    expect(formatMessage(message({ room: "dev" }))).toBe("[09:05] #dev alice: Hello!");
    expect(formatMessage(message({ room: "dev" }), { hideRoom: true })).toBe("[09:05] alice: Hello!");
  });

  it("keeps multi-line content on one line in one-line mode, indented otherwise", () => {
    expect(formatMessage(message({ content: "a\nb" }), { oneLine: true })).toBe("[09:05] alice: a\\nb");
    expect(formatMessage(message({ content: "a\nb" }))).toBe("[09:05] alice: a\n        b");
  });

  it("parses what it prints", () => {
    expect(parseMessageLine(formatMessage(message({ content: "x: y" }), { oneLine: true }))).toEqual({
      time: "09:05",
      username: "alice",
      content: "x: y",
    });
    expect(parseMessageLine("[09:05] #dev bob: hi")).toEqual({
      time: "09:05",
      room: "dev",
      username: "bob",
      content: "hi",
    });
    expect(parseMessageLine("connected")).toBeNull();
  });

  it("previews long content on one line", () => {
    expect(preview("short")).toBe("short");
    expect(preview(`${"x".repeat(50)}\nmore`, 10)).toBe("xxxxxxxxx…");
  });

  it("numbers a message when given one, continuation lines indented under the content", () => {
    expect(formatMessage(message(), { number: 3 })).toBe("[3] [09:05] alice: Hello!");
    expect(formatMessage(message({ content: "a\nb" }), { number: 12 })).toBe("[12] [09:05] alice: a\n             b");
    expect(formatMessage(message(), { number: 3, color: true })).toBe(
      `\u001b[2m[3] \u001b[0m\u001b[2m[09:05]\u001b[0m \u001b[2m\u001b[0m\u001b[1;${nameColorCode("alice")}malice\u001b[0m: Hello!`,
    );
  });

  it("marks edits, shows deletions as a muted tombstone and reactions compactly at the end", () => {
    const edited = { editedAt: at(9, 6) };
    expect(formatMessage(message(edited))).toBe("[09:05] alice: Hello! (edited)");
    expect(formatMessage(message({ ...edited, content: "a\nb" }))).toBe("[09:05] alice: a\n        b (edited)");
    expect(formatMessage(message({ deleted: true, content: "" }), { number: 2 })).toBe(
      "[2] [09:05] alice: × message deleted",
    );
    expect(formatMessage(message({ deleted: true, content: "" }), { color: true })).toContain(
      "\u001b[2m× message deleted\u001b[0m",
    );
    const reactions = [
      { emoji: "👍", count: 2, users: ["bob", "carol"] },
      { emoji: "🎉", count: 1, users: ["bob"] },
    ];
    expect(formatMessage(message({ ...edited, reactions }))).toBe("[09:05] alice: Hello! (edited) [👍 2 🎉 1]");
    expect(formatMessage(message({ reactions: [{ emoji: "\u001b]0;x\u0007👍", count: 1, users: [] }] }))).toBe(
      "[09:05] alice: Hello! [👍 1]",
    );
    // the pipe's one-line form carries them too, and still parses
    expect(parseMessageLine(formatMessage(message({ ...edited, reactions }), { oneLine: true }))?.content).toBe(
      "Hello! (edited) [👍 2 🎉 1]",
    );
  });

  it("puts a reply's quote on a line above it: first line, cut, sanitized, numbered when on screen", () => {
    const replyTo = { id: 7, username: "bob", content: `first line \u001b[2J${"x".repeat(80)}\nsecond` };
    const [above, line] = formatMessage(message({ replyTo }), { number: 9, replyNumber: 7 }).split("\n");
    expect(line).toBe("[9] [09:05] alice: Hello!");
    expect(above).toBe(`          ↳ [7] bob: first line ${"x".repeat(48)}…`);
    expect([...(above ?? "").trim()].length).toBeLessThan(75);
    const short = formatMessage(message({ replyTo: { id: 7, username: "bob", content: "hi\nthere" } }));
    expect(short).toBe("      ↳ bob: hi…\n[09:05] alice: Hello!");
    // a webhook's post is quoted under its bot's name, never as the member who made the hook
    const fromBot = formatMessage(
      message({ replyTo: { id: 7, username: "bob", content: "disk", botName: "Grafana" } }),
    );
    expect(fromBot.split("\n")[0]).toBe("      ↳ Grafana [bot]: disk");
    const gone = formatMessage(message({ replyTo: { id: 7, username: "bob", content: "" } }));
    expect(gone.split("\n")[0]).toBe("      ↳ bob: (deleted)");
    // a deleted reply is its tombstone only
    expect(formatMessage(message({ replyTo, deleted: true, content: "" }))).toBe("[09:05] alice: × message deleted");
    // one line per message in the pipe: no quote line
    expect(formatMessage(message({ replyTo }), { oneLine: true })).toBe("[09:05] alice: Hello!");
  });

  it("cuts a reply's quote line to one row of the terminal, so it never runs on under the message above", () => {
    const replyTo = {
      id: 7,
      username: "bob",
      content: "while you were away: the deploy finished and the canary is fine",
    };
    const [above] = formatMessage(message({ replyTo }), { number: 9, replyNumber: 3, columns: 40 }).split("\n");
    expect(above).toBe(`${" ".repeat(10)}↳ [3] bob: while you were awa…`);
    expect(stringWidth(above!)).toBe(40);
    // wide characters count two columns; a grapheme (a family emoji) is never cut in half
    expect(cutToWidth("你好世界你好", 7)).toBe("你好世…");
    expect(cutToWidth("ok 👨‍👩‍👧 👨‍👩‍👧", 6)).toBe("ok 👨‍👩‍👧…");
    expect(cutToWidth("fits", 4)).toBe("fits");
    // without a width (a pipe, a script) the quote keeps its own 60-character cut
    expect(formatMessage(message({ replyTo }), { replyNumber: 3 }).split("\n")[0]).toContain("and the canary is…");
  });

  it("quotes by characters, never cutting an emoji in half", () => {
    expect(quote("😀".repeat(70))).toBe(`${"😀".repeat(59)}…`);
    expect(quote("  short  ")).toBe("short");
  });

  it("renders Markdown as plain text on screen, URLs kept, code blocks indented under the content", () => {
    const content = "**Deploy** _done_ ~~late~~ `v2` :tada: see [the log](https://ci.example.com/1) or https://x.org";
    expect(formatMessage(message({ content }))).toBe(
      "[09:05] alice: Deploy done late `v2` 🎉 see the log <https://ci.example.com/1> or https://x.org",
    );
    expect(formatMessage(message({ content: "run:\n```sh\nnpm ci\n```\n- a\n- b" }))).toBe(
      "[09:05] alice: run:\n\n            npm ci\n\n        • a\n        • b",
    );
    expect(formatMessage(message({ content: "> quoted\n\n<b>raw</b>" }))).toBe(
      "[09:05] alice: > quoted\n\n        <b>raw</b>",
    );
  });

  it("styles Markdown with ANSI when colour is on", () => {
    const line = formatMessage(message({ content: "**b** _i_ `c` [t](https://x.org)" }), { color: true });
    expect(line).toContain(
      ": \u001b[1mb\u001b[0m \u001b[3mi\u001b[0m \u001b[33mc\u001b[0m t <\u001b[4mhttps://x.org\u001b[0m>",
    );
    const block = formatMessage(message({ content: "code:\n```\na\nb\n```" }), { color: true });
    expect(block.split("\n").slice(1)).toEqual([
      "",
      "            \u001b[33ma\u001b[0m",
      "            \u001b[33mb\u001b[0m",
    ]);
  });

  it("keeps the source as sent in one-line (pipe) output, and quotes without markup", () => {
    const content = "**b** [t](https://x.org)";
    expect(parseMessageLine(formatMessage(message({ content }), { oneLine: true }))?.content).toBe(content);
    expect(quote("**Deploy** done: `v2`\nmore")).toBe("Deploy done: `v2`…");
  });
});

describe("mentions of the user", () => {
  const mention = message({ content: "ping @Bob", mentions: ["Bob"] });
  it("are shown in yellow (name and text) when coloured; others and plain output are unchanged", () => {
    const line = formatMessage(mention, { color: true, self: "bob" });
    expect(line).toContain(style.yellow("ping @Bob"));
    expect(line).toContain(style.yellow("alice"));
    expect(formatMessage(mention, { color: true, self: "carol" })).not.toContain("\u001b[33m");
    expect(formatMessage(mention, { self: "bob" })).toMatch(/alice: ping @Bob$/);
  });

  it("ring the bell once enabled, never for one's own message or a deleted one", () => {
    expect(ringsBell(mention, "bob", true)).toBe(true);
    expect(ringsBell(mention, "bob", false)).toBe(false);
    expect(ringsBell(mention, "carol", true)).toBe(false);
    expect(ringsBell({ ...mention, username: "bob" }, "bob", true)).toBe(false);
    expect(ringsBell({ ...mention, deleted: true }, "bob", true)).toBe(false);
  });
});
