import { describe, expect, it } from "vitest";
import { isEmoji } from "@/lib/protocol";
import { EMOJI, QUICK_REACTIONS, emojiName, searchEmoji } from "@/lib/web/emoji";

describe("the picker's emoji", () => {
  it("are each one emoji the server accepts, once, with a name, the quick reactions first", () => {
    for (const entry of EMOJI) {
      expect(isEmoji(entry.emoji), entry.emoji).toBe(true);
      expect(entry.names.length).toBeGreaterThan(0);
      for (const name of entry.names) expect(name).toBe(name.toLowerCase());
    }
    expect(new Set(EMOJI.map((e) => e.emoji)).size).toBe(EMOJI.length);
    expect(EMOJI.length).toBeGreaterThanOrEqual(60);
    expect(EMOJI.length).toBeLessThanOrEqual(100);
    expect(EMOJI.slice(0, QUICK_REACTIONS.length).map((e) => e.emoji)).toEqual([...QUICK_REACTIONS]);
  });

  it("are found by the start of any word of their names, case-insensitively, in picker order", () => {
    expect(searchEmoji("")).toHaveLength(EMOJI.length);
    expect(searchEmoji("  THUMBS ").map((e) => e.emoji)).toEqual(["👍", "👎"]);
    expect(searchEmoji("eyes").map((e) => e.emoji)).toEqual(["👀", "😍", "🥺"]);
    expect(searchEmoji("heart e").map((e) => e.emoji)).toEqual(["😍"]);
    expect(searchEmoji("🔥").map((e) => e.emoji)).toEqual(["🔥"]);
    expect(searchEmoji("zzzz-nothing")).toEqual([]);
  });

  it("are named for labels; an emoji outside the set is its own name", () => {
    expect(emojiName("👍")).toBe("thumbs up");
    expect(emojiName("🦖")).toBe("🦖");
  });
});

describe("isEmoji (what a reaction may be)", () => {
  it("takes one emoji grapheme: ZWJ families, skin tones, flags, keycaps, presentation selectors", () => {
    for (const e of ["👍", "👨‍👩‍👧", "👍🏽", "🇫🇷", "1️⃣", "#️⃣", "❤️", "🏳️‍🌈"]) expect(isEmoji(e), e).toBe(true);
  });

  it("refuses text, two emoji, an emoji with anything before or after it, and nothing", () => {
    for (const s of ["a", ":)", "👍👍", "👍 ", " 👍", "x👍", "👍x", "🇫🇷🇩🇪", "", "👍".repeat(40)]) {
      expect(isEmoji(s), JSON.stringify(s)).toBe(false);
    }
  });
});
