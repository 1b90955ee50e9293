import { describe, expect, it } from "vitest";
import type { Message } from "@/lib/protocol";
import {
  buildRows,
  continues,
  firstUnreadId,
  GROUP_WINDOW_MS,
  outgoingContinues,
  type Row,
} from "@/lib/web/message-groups";
import { unchanged } from "../helpers/message-fixture";

const BASE = Date.UTC(2026, 10, 30, 9, 0, 0);
const TZ = "UTC";

const msg = (id: number, username: string, at: number, extra: Partial<Message> = {}): Message => ({
  ...unchanged(id),
  id,
  username,
  content: `message ${id}`,
  timestamp: new Date(at).toISOString(),
  room: "general",
  ...extra,
});

/** rows as short strings: "day", "new", "H3" (head of message 3), "c4" (continuation) */
const shape = (rows: Row[]) =>
  rows.map((r) => (r.kind === "message" ? `${r.head ? "H" : "c"}${r.message.id}` : r.kind));

const rows = (messages: Message[], unread = null as Parameters<typeof buildRows>[1]["unread"]) =>
  shape(buildRows(messages, { me: "ada", unread, timeZone: TZ }));

describe("grouping", () => {
  it("runs of one author within five minutes share one header", () => {
    const list = [
      msg(1, "bob", BASE),
      msg(2, "bob", BASE + 60_000),
      msg(3, "Bob", BASE + 2 * 60_000), // usernames compare case-insensitively
      msg(4, "ada", BASE + 3 * 60_000),
      msg(5, "bob", BASE + 4 * 60_000),
    ];
    expect(rows(list)).toEqual(["day", "H1", "c2", "c3", "H4", "H5"]);
  });

  it("a gap of five minutes or more starts a new header", () => {
    const list = [
      msg(1, "bob", BASE),
      msg(2, "bob", BASE + GROUP_WINDOW_MS - 1),
      msg(3, "bob", BASE + 2 * GROUP_WINDOW_MS - 1),
    ];
    expect(rows(list)).toEqual(["day", "H1", "c2", "H3"]);
  });

  it("a reply heads its own group, and a deleted message heads nothing after it", () => {
    const reply = { id: 1, username: "bob", content: "message 1" };
    const list = [
      msg(1, "bob", BASE),
      msg(2, "bob", BASE + 1000, { replyTo: reply }),
      msg(3, "bob", BASE + 2000, { deleted: true, content: "" }),
      msg(4, "bob", BASE + 3000),
    ];
    expect(rows(list)).toEqual(["day", "H1", "H2", "c3", "H4"]);
  });

  it("a message dated before the previous one (clock skew) starts a header", () => {
    expect(continues(msg(1, "bob", BASE), msg(2, "bob", BASE - 1000), TZ)).toBe(false);
  });
});

describe("day separators", () => {
  it("come before the first message of each calendar day in the time zone", () => {
    const list = [
      msg(1, "bob", Date.UTC(2026, 10, 29, 23, 58)),
      msg(2, "bob", Date.UTC(2026, 10, 30, 0, 1)), // 3 minutes later, but another day: new header
      msg(3, "bob", Date.UTC(2026, 10, 30, 0, 2)),
    ];
    expect(rows(list)).toEqual(["day", "H1", "day", "H2", "c3"]);
    // in New York both are on the 29th
    const ny = shape(buildRows(list, { me: "ada", unread: null, timeZone: "America/New_York" }));
    expect(ny).toEqual(["day", "H1", "c2", "c3"]);
  });
});

describe("the New messages line", () => {
  const list = [
    msg(1, "bob", BASE),
    msg(2, "ada", BASE + 1000),
    msg(3, "bob", BASE + 2000),
    msg(4, "bob", BASE + 3000),
  ];

  it("goes above the first unread message from someone else and breaks the group", () => {
    expect(rows(list, { readUpTo: 2, newestAtEntry: 4 })).toEqual(["day", "H1", "H2", "new", "H3", "c4"]);
  });

  it("skips own messages past the marker", () => {
    expect(firstUnreadId(list, "ada", { readUpTo: 1, newestAtEntry: 4 })).toBe(3);
  });

  it("is not shown for what arrived after entering, nor when nothing was unread", () => {
    expect(firstUnreadId(list, "ada", { readUpTo: 2, newestAtEntry: 2 })).toBeNull();
    expect(firstUnreadId(list, "ada", null)).toBeNull();
    expect(rows(list, { readUpTo: 4, newestAtEntry: 4 })).not.toContain("new");
  });
});

describe("own messages on their way", () => {
  it("continue the last group when it is the sender's and recent", () => {
    const last = msg(1, "ada", BASE);
    expect(outgoingContinues(last, "ada", BASE + 1000)).toBe(true);
    expect(outgoingContinues(last, "bob", BASE + 1000)).toBe(false);
    expect(outgoingContinues(last, "ada", BASE + GROUP_WINDOW_MS)).toBe(false);
    expect(outgoingContinues({ ...last, deleted: true }, "ada", BASE + 1000)).toBe(false);
    expect(outgoingContinues(undefined, "ada", BASE)).toBe(false);
    // the page's minute clock lags the message just stored: the one on its way still continues it
    expect(outgoingContinues(last, "ada", BASE - 30_000)).toBe(true);
  });
});
