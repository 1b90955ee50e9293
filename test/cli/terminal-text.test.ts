// The terminal's new text helpers: name colours, day lines and dated times, folded presence lines, Tab
// completion.
import { describe, expect, it } from "vitest";
import { dayKey, dayLabel, dayLine, formatStamp } from "../../cli/dates";
import { colorName, NAME_COLORS, nameColorCode } from "../../cli/name-colors";
import { formatMessage } from "../../cli/render";
import { completeLine, type CompletionSources } from "../../cli/terminal/completion";
import { nameList, presenceLines } from "../../cli/terminal/presence-notices";
import { unchanged } from "../helpers/message-fixture";

const local = (y: number, m: number, d: number, h = 12, min = 0) => new Date(y, m - 1, d, h, min).toISOString();
const now = new Date(2026, 11, 2, 13, 37); // Wednesday 2 December 2026

describe("name colours", () => {
  it("gives a name the same colour every time, whatever its case, from the legible set", () => {
    expect(nameColorCode("alice")).toBe(nameColorCode("ALICE"));
    expect(nameColorCode("alice")).toBe(nameColorCode("alice"));
    for (const name of ["alice", "bob", "carol", "dave", "émile", "李"])
      expect(NAME_COLORS).toContain(nameColorCode(name));
    expect(colorName("bob", "bob")).toBe(`\u001b[1;${nameColorCode("bob")}mbob\u001b[0m`);
  });

  it("spreads names over the colours (not all one)", () => {
    const names = Array.from({ length: 40 }, (_, i) => `user${i}`);
    expect(new Set(names.map(nameColorCode)).size).toBeGreaterThanOrEqual(6);
  });

  it("colours each name by its own hash in a message line, and not at all without colour", () => {
    const m = {
      ...unchanged(1),
      id: 1,
      username: "bob",
      content: "hi",
      timestamp: local(2026, 12, 2, 9, 5),
      room: "general",
    };
    expect(formatMessage(m, { color: true })).toContain(`\u001b[1;${nameColorCode("bob")}mbob\u001b[0m: hi`);
    expect(formatMessage(m)).toBe("[09:05] bob: hi");
  });
});

describe("dates", () => {
  it("labels days: today, yesterday, a weekday and date, the year when it is another", () => {
    expect(dayLabel(local(2026, 12, 2, 0, 1), now)).toBe("Today");
    expect(dayLabel(local(2026, 12, 1, 23, 59), now)).toBe("Yesterday");
    expect(dayLabel(local(2026, 11, 30), now)).toBe("Monday 30 November");
    expect(dayLabel(local(2025, 12, 31), now)).toBe("Wednesday 31 December 2025");
    expect(dayLabel("nonsense", now)).toBe("Unknown date");
    expect(dayLine(local(2026, 12, 2), now)).toBe("── Today ──");
  });

  it("tells days apart by the local calendar day", () => {
    expect(dayKey(local(2026, 12, 2, 0, 0))).toBe(dayKey(local(2026, 12, 2, 23, 59)));
    expect(dayKey(local(2026, 12, 1, 23, 59))).not.toBe(dayKey(local(2026, 12, 2, 0, 0)));
    expect(dayKey("nonsense")).toBeNull();
  });

  it("adds the date to times before today", () => {
    expect(formatStamp(local(2026, 12, 2, 9, 5), now)).toBe("09:05");
    expect(formatStamp(local(2026, 11, 30, 17, 45), now)).toBe("30 Nov 17:45");
    expect(formatStamp(local(2025, 1, 3, 8, 0), now)).toBe("3 Jan 2025 08:00");
    const m = {
      ...unchanged(1),
      id: 1,
      username: "bob",
      content: "hi",
      timestamp: local(2026, 12, 1, 17, 45),
      room: "general",
    };
    expect(formatMessage(m, { now })).toBe("[1 Dec 17:45] bob: hi");
    expect(formatMessage(m)).toBe("[17:45] bob: hi"); // pipe lines keep [HH:MM]
  });
});

describe("presence lines", () => {
  it("lists names, counting past the first five", () => {
    expect(nameList(["alice"])).toBe("alice");
    expect(nameList(["alice", "bob"])).toBe("alice and bob");
    expect(nameList(["a", "b", "c"])).toBe("a, b and c");
    expect(nameList(["a", "b", "c", "d", "e", "f"])).toBe("a, b, c, d, e and 1 other");
    expect(nameList(["a", "b", "c", "d", "e", "f", "g"])).toBe("a, b, c, d, e and 2 others");
    expect(nameList(["\u001b[2Jevil"])).toBe("evil");
  });

  it("folds a burst into one line each way, leaving out who ended where they began", () => {
    const burst = new Map([
      ["alice", { name: "alice", before: false, now: true }],
      ["bob", { name: "bob", before: undefined, now: true }],
      ["carol", { name: "carol", before: true, now: false }],
      ["dave", { name: "dave", before: true, now: true }], // reloaded a tab: went and came back
    ]);
    expect(presenceLines(burst)).toEqual(["* alice and bob came online", "* carol went offline"]);
    expect(presenceLines(new Map([["dave", { name: "dave", before: true, now: true }]]))).toEqual([]);
  });
});

describe("Tab completion", () => {
  const sources: CompletionSources = {
    commands: ["join", "switch", "dm", "more", "help", "invite"],
    rooms: ["general", "ops", "Operations"],
    users: ["alice", "Albert", "bob"],
  };
  const complete = (line: string) => completeLine(line, sources);

  it("completes a command at the start of the line", () => {
    expect(complete("/jo")).toEqual([["/join "], "/jo"]);
    expect(complete("/")[0]).toHaveLength(6);
    expect(complete("/x")).toEqual([[], "/x"]);
    expect(complete("//jo")).toEqual([[], "//jo"]); // a message that starts with /
  });

  it("completes rooms after room commands and #, users after user commands and @, ignoring case", () => {
    expect(complete("/join op")).toEqual([["Operations ", "ops "], "op"]);
    expect(complete("/switch G")).toEqual([["general "], "G"]);
    expect(complete("/dm al")).toEqual([["Albert ", "alice "], "al"]);
    expect(complete("/invite b")).toEqual([["bob "], "b"]);
    expect(complete("see #ge")).toEqual([["#general "], "#ge"]);
    expect(complete("hey @bo")).toEqual([["@bob "], "@bo"]);
    expect(complete("/join ops ex")).toEqual([[], "ex"]); // only the first argument names a room
  });

  it("completes a bare word in a message as a username, and nothing on an empty word", () => {
    expect(complete("thanks bo")).toEqual([["bob "], "bo"]);
    expect(complete("thanks ")).toEqual([[], ""]);
    expect(complete("")).toEqual([[], ""]);
  });
});
