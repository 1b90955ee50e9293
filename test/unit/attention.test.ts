import { describe, expect, it } from "vitest";
import type { RoomSummary } from "@/lib/protocol";
import { attentionCount, badgedIconUrl, titleWithCount } from "@/lib/web/attention";

const room = (kind: "room" | "dm", unread: number, mentions: number): RoomSummary => ({
  name: kind === "dm" ? "dm:a:b" : "r",
  kind,
  private: false,
  unread,
  mentions,
  lastMessageId: 0,
  lastReadId: 0,
});

describe("attentionCount", () => {
  it("adds mentions in rooms and unread messages in DMs, not plain unread in rooms", () => {
    expect(attentionCount([room("room", 5, 2), room("dm", 3, 3), room("room", 7, 0)])).toBe(5);
    expect(attentionCount([])).toBe(0);
  });
});

describe("titleWithCount", () => {
  it("prefixes the count, replaces an old one, and removes it at zero", () => {
    expect(titleWithCount("# general · Chatterbox", 3)).toBe("(3) # general · Chatterbox");
    expect(titleWithCount("(3) # general · Chatterbox", 4)).toBe("(4) # general · Chatterbox");
    expect(titleWithCount("(4) # general · Chatterbox", 0)).toBe("# general · Chatterbox");
    expect(titleWithCount("Chatterbox", 150)).toBe("(99+) Chatterbox");
    expect(titleWithCount("(99+) Chatterbox", 1)).toBe("(1) Chatterbox");
  });

  it("leaves a title that only looks like a count alone when nothing is due", () => {
    expect(titleWithCount("(draft) notes", 0)).toBe("(draft) notes");
  });
});

describe("badgedIconUrl", () => {
  it("is an SVG data URL showing the count, capped at 9+", () => {
    const one = decodeURIComponent(badgedIconUrl(1));
    expect(one.startsWith("data:image/svg+xml,<svg")).toBe(true);
    expect(one).toContain(">1</text>");
    expect(decodeURIComponent(badgedIconUrl(12))).toContain(">9+</text>");
  });
});
