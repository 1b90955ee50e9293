import { describe, expect, it } from "vitest";
import type { Message } from "../../lib/protocol";
import { formatMessage, formatTime, parseMessageLine, preview } from "../../cli/render";
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
});
