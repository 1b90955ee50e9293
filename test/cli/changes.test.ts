// What the screen says when a message it printed changes, and the numbers it gives messages, without a
// terminal or a server.
import { describe, expect, it } from "vitest";
import { formatChange } from "../../cli/changes";
import { ShownMessages } from "../../cli/terminal/shown";
import type { Message } from "../../lib/protocol";
import { unchanged } from "../helpers/message-fixture";

const message = (over: Partial<Message> = {}): Message => ({
  ...unchanged(1),
  id: 1,
  username: "bob",
  content: "first take",
  timestamp: new Date(2024, 1, 7, 9, 5).toISOString(),
  room: "general",
  ...over,
});
const thumbs = (...users: string[]) => ({ emoji: "👍", count: users.length, users });
const party = (...users: string[]) => ({ emoji: "🎉", count: users.length, users });
const opts = { number: 3, self: "alice" };

describe("formatChange", () => {
  it("announces an edit with the new text, cut and sanitized", () => {
    const after = message({ seq: 5, content: "second \u001b[2Jtake\nmore", editedAt: "2024-02-07T09:06:00Z" });
    expect(formatChange(message(), after, opts)).toBe("* bob edited [3]: second take…");
    const long = message({ seq: 5, content: "y".repeat(100), editedAt: "x" });
    expect(formatChange(message(), long, opts)).toBe(`* bob edited [3]: ${"y".repeat(59)}…`);
    expect(formatChange(message({ username: "Alice" }), message({ username: "Alice", content: "mine" }), opts)).toBe(
      "* you edited [3]: mine",
    );
  });

  it("announces a deletion once", () => {
    const gone = message({ seq: 5, deleted: true, content: "", reactions: [] });
    expect(formatChange(message({ reactions: [thumbs("carol")] }), gone, opts)).toBe("* [3] by bob was deleted");
    expect(formatChange(gone, { ...gone, seq: 6 }, opts)).toBeNull();
    const mine = message({ username: "alice", deleted: true, content: "" });
    expect(formatChange(message({ username: "alice" }), mine, opts)).toBe("* your [3] was deleted");
    // a webhook's post is its bot's, even when the reader made the hook
    const bot = { name: "Grafana", iconUrl: null };
    const posted = message({ username: "alice", bot });
    expect(formatChange(posted, { ...posted, deleted: true, content: "" }, opts)).toBe(
      "* [3] by Grafana [bot] was deleted",
    );
  });

  it("says who reacted or took a reaction back", () => {
    const before = message({ reactions: [thumbs("dave")] });
    expect(formatChange(before, message({ reactions: [thumbs("dave", "carol")] }), opts)).toBe(
      "* carol reacted 👍 to [3]",
    );
    expect(formatChange(before, message({ reactions: [thumbs("dave"), party("alice")] }), opts)).toBe(
      "* you reacted 🎉 to [3]",
    );
    expect(formatChange(before, message({ reactions: [] }), opts)).toBe("* dave took back 👍 on [3]");
  });

  it("puts several changes in one line", () => {
    const before = message({ reactions: [thumbs("dave")] });
    const after = message({ content: "new", editedAt: "x", reactions: [party("carol", "\u001b[31mevil")] });
    expect(formatChange(before, after, opts)).toBe(
      "* bob edited [3]: new; reactions on [3]: +🎉 carol, +🎉 evil, −👍 dave",
    );
  });

  it("says nothing when nothing shows, and the tally when names do not say who", () => {
    expect(formatChange(message(), message({ seq: 9 }), opts)).toBeNull();
    const counted = { emoji: "👍", count: 4, users: ["dave"] };
    expect(formatChange(message({ reactions: [thumbs("dave")] }), message({ reactions: [counted] }), opts)).toBe(
      "* reactions on [3]: [👍 4]",
    );
  });
});

describe("ShownMessages", () => {
  it("numbers messages as printed, keeps a message's number, and keeps the newest state", () => {
    const shown = new ShownMessages();
    expect(shown.print(message({ id: 10, seq: 10 })).number).toBe(1);
    expect(shown.print(message({ id: 4, seq: 4 })).number).toBe(2);
    // printed again (back in the room) from an older page: same number, newest state
    expect(shown.update(message({ id: 10, seq: 20, content: "edited" }))?.message.content).toBe("first take");
    expect(shown.print(message({ id: 10, seq: 10 }))).toMatchObject({ number: 1, message: { content: "edited" } });
    expect(shown.get(2)?.message.id).toBe(4);
    expect(shown.numberOf(10)).toBe(1);
    expect(shown.get(3)).toBeUndefined();
  });

  it("ignores updates that are not newer, or of messages never printed", () => {
    const shown = new ShownMessages();
    shown.print(message({ id: 1, seq: 5 }));
    expect(shown.update(message({ id: 1, seq: 5, content: "same seq" }))).toBeUndefined();
    expect(shown.update(message({ id: 1, seq: 4, content: "older" }))).toBeUndefined();
    expect(shown.update(message({ id: 2, seq: 9 }))).toBeUndefined();
    expect(shown.get(1)?.message.content).toBe("first take");
  });

  it("finds the user's latest message in a room, not a deleted one", () => {
    const shown = new ShownMessages();
    shown.print(message({ id: 5, username: "Alice" }));
    shown.print(message({ id: 3, username: "alice" }));
    shown.print(message({ id: 8, username: "alice", room: "ops" }));
    shown.print(message({ id: 9, username: "bob" }));
    expect(shown.lastOwn("General", "alice")?.message.id).toBe(5);
    shown.update(message({ id: 5, seq: 50, username: "Alice", deleted: true, content: "" }));
    expect(shown.lastOwn("general", "alice")?.message.id).toBe(3);
    expect(shown.lastOwn("dev", "alice")).toBeUndefined();
  });
});
