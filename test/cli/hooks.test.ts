// The terminal client's side of webhooks: a bot's post is printed under its bot name marked [bot] (never as
// the maker's username), with or without colour; `hooks list` lines, sanitized.
import { describe, expect, it } from "vitest";
import { formatHook } from "../../cli/hooks";
import { formatMessage } from "../../cli/render";
import type { Message } from "../../lib/protocol";
import { unchanged } from "../helpers/message-fixture";

const bot = (over: Partial<Message> = {}): Message => ({
  ...unchanged(1),
  id: 1,
  username: "alice",
  content: "**disk** full",
  timestamp: new Date(2024, 1, 7, 9, 5).toISOString(),
  room: "ops",
  bot: { name: "Grafana", iconUrl: null },
  ...over,
});

describe("a webhook's post in the terminal", () => {
  it("is printed under the bot's name, marked [bot]", () => {
    expect(formatMessage(bot())).toBe("[09:05] #ops Grafana [bot]: disk full");
  });

  it("keeps the mark with colour on, and strips escapes from the bot name", () => {
    // eslint-disable-next-line no-control-regex -- the colour codes are what is removed here
    const plain = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, "");
    const line = formatMessage(bot({ bot: { name: "Evil\u001b[2J", iconUrl: null } }), { color: true });
    expect(plain(line)).toBe("[09:05] #ops Evil [bot]: disk full");
    expect(plain(line)).not.toContain("alice");
  });
});

describe("hooks list", () => {
  it("prints id, room, name, maker and last use on one line", () => {
    const hook = {
      id: 7,
      room: "ops",
      name: "CI\nfake line",
      createdBy: "alice",
      createdAt: "2026-12-06T10:00:00.000Z",
      lastUsedAt: null,
    };
    expect(formatHook(hook)).toBe("7\t#ops\tCI fake line\tby alice\tnever used");
    expect(formatHook({ ...hook, name: "CI", lastUsedAt: "2026-12-06T11:00:00.000Z" })).toBe(
      "7\t#ops\tCI\tby alice\tlast used 2026-12-06T11:00:00.000Z",
    );
  });
});
