// The scripting subcommands' pure parts: the event lines (JSON Lines record, text with dates, rooms as users
// know them), the follower's classification of what it receives, option values, and the exit-code mapping.
import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import type { Message } from "../../lib/protocol";
import { ApiError, NetworkError, RequestError, SessionClosedError } from "../../lib/client/errors";
import { roomLabel } from "../../cli/scripting/context";
import { EventPrinter } from "../../cli/scripting/event-printer";
import { EXIT, NotLoggedInError, describeFailure } from "../../cli/scripting/exit-codes";
import { UsageError } from "../../cli/login";
import { dateBound, untilEnd, wholeNumber } from "../../cli/scripting/options";
import { eventLine, localDateTime, messageRecordSchema, type EventType } from "../../cli/scripting/records";
import { unchanged } from "../helpers/message-fixture";

const at = new Date(2026, 11, 6, 14, 5, 9).toISOString();
const message = (over: Partial<Message> = {}): Message => ({
  ...unchanged(7),
  id: 7,
  username: "alice",
  content: "deploy done?",
  timestamp: at,
  room: "dm:alice:erin",
  ...over,
});

describe("event lines", () => {
  it("names a DM by the other user, a room with #", () => {
    expect(roomLabel("dm:alice:erin", "erin")).toBe("@alice");
    expect(roomLabel("dm:alice:erin", "alice")).toBe("@erin");
    expect(roomLabel("ops", "erin")).toBe("#ops");
  });

  it("prints a JSON record the schema reads back, with the full ISO timestamp", () => {
    const record = messageRecordSchema.parse(JSON.parse(eventLine("message", message(), "erin", true)));
    expect(record).toMatchObject({ type: "message", id: 7, room: "@alice", timestamp: at, editedAt: null });
  });

  it("names a webhook's post by its bot, marked [bot], and says so in the JSON", () => {
    const posted = message({ room: "ops", username: "alice", bot: { name: "Grafana", iconUrl: null } });
    expect(eventLine("message", posted, "erin", false)).toBe("2026-12-06 14:05 #ops Grafana [bot]: deploy done?");
    expect(eventLine("edit", { ...posted, editedAt: at }, "erin", false)).toContain("* Grafana [bot] edited");
    const record = messageRecordSchema.parse(JSON.parse(eventLine("message", posted, "erin", true)));
    expect(record).toMatchObject({ username: "alice", bot: { name: "Grafana", iconUrl: null } });
    expect(messageRecordSchema.parse(JSON.parse(eventLine("message", message(), "erin", true))).bot).toBeNull();
  });

  it("prints text with the local date and time, on one line, without control characters", () => {
    expect(eventLine("message", message(), "erin", false)).toBe("2026-12-06 14:05 @alice alice: deploy done?");
    const tricky = message({ content: "two\nlines\u001b[2J", room: "ops" });
    expect(eventLine("message", tricky, "erin", false)).toBe("2026-12-06 14:05 #ops alice: two\\nlines");
    expect(eventLine("message", tricky, "erin", false, false)).toBe("2026-12-06 14:05 alice: two\\nlines");
    expect(localDateTime("not a date")).toBe("????-??-?? --:--");
  });
});

describe("EventPrinter", () => {
  const run = (feed: [Message, "new" | "change"][]) => {
    const printed: [EventType, number][] = [];
    const printer = new EventPrinter((type, m) => printed.push([type, m.seq]));
    for (const [m, kind] of feed) printer.show(m, kind);
    return printed;
  };

  it("prints a message once, then its edit, reaction and delete as their own events", () => {
    const first = message({ seq: 10 });
    const edited = message({ seq: 11, content: "deployed", editedAt: at });
    const reacted = message({ ...edited, seq: 12, reactions: [{ emoji: "👍", count: 1, users: ["erin"] }] });
    const deleted = message({ seq: 13, content: "", deleted: true, editedAt: at });
    const printed = run([
      [first, "new"],
      [first, "new"], // the socket's copy of a message the first page printed
      [edited, "change"],
      [reacted, "change"],
      [edited, "change"], // a stale state
      [deleted, "change"],
    ]);
    expect(printed).toEqual([
      ["message", 10],
      ["edit", 11],
      ["reaction", 12],
      ["delete", 13],
    ]);
  });

  it("says what a change to a message it never printed shows, and skips a tombstone as news", () => {
    expect(run([[message({ deleted: true, content: "" }), "change"]])).toEqual([["delete", 7]]);
    expect(run([[message({ editedAt: at }), "change"]])).toEqual([["edit", 7]]);
    expect(run([[message({ deleted: true, content: "" }), "new"]])).toEqual([]);
  });
});

describe("options", () => {
  it("reads whole numbers and dates, refusing anything else as a usage error", () => {
    expect(wholeNumber(0, 500)("20")).toBe(20);
    for (const bad of ["-1", "1.5", "x", "501", ""])
      expect(() => wholeNumber(0, 500)(bad)).toThrow(InvalidArgumentError);
    const day = dateBound("2026-12-01");
    expect(day).toEqual({ at: new Date("2026-12-01T00:00:00Z"), day: true });
    expect(untilEnd(day)).toEqual(new Date("2026-12-02T00:00:00Z"));
    const instant = dateBound("2026-12-01T09:30:00Z");
    expect(untilEnd(instant)).toEqual(new Date("2026-12-01T09:30:00Z"));
    for (const bad of ["yesterday", "2026-13-01", "12/01/2026"])
      expect(() => dateBound(bad)).toThrow(InvalidArgumentError);
  });
});

describe("exit codes", () => {
  it("maps refusals to 1, usage and login problems to 2, an unreachable server to 3", () => {
    const code = (err: unknown) => describeFailure(err).code;
    expect(code(new ApiError(403, "not a member"))).toBe(EXIT.refused);
    expect(code(new RequestError("refused"))).toBe(EXIT.refused);
    expect(code(new UsageError("bad"))).toBe(EXIT.usage);
    expect(code(new NotLoggedInError("no token"))).toBe(EXIT.usage);
    expect(code(new ApiError(401, "Unauthorized"))).toBe(EXIT.usage);
    expect(code(new SessionClosedError("unauthorized"))).toBe(EXIT.usage);
    expect(code(new NetworkError("http://x", "ECONNREFUSED"))).toBe(EXIT.unreachable);
  });
});
