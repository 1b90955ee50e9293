// The pure notification decision (lib/notify/levels.ts) the push sender and the web client share.
import { describe, expect, it } from "vitest";
import { levelIn, wantsNotification } from "@/lib/notify/levels";
import { mentionTokens, mentionedMembers } from "@/lib/notify/mentions";
import type { NotificationSettings } from "@/lib/protocol";

const msg = (over: { room?: string; username?: string; mentions?: string[]; deleted?: boolean } = {}) => ({
  room: "general",
  username: "alice",
  mentions: [],
  deleted: false,
  ...over,
});
const settings = (level: NotificationSettings["level"], rooms: NotificationSettings["rooms"] = {}) => ({
  level,
  rooms,
});

describe("wantsNotification", () => {
  it("mentions (the default): mentions and every DM, not other messages", () => {
    const s = settings("mentions");
    expect(wantsNotification(s, "bob", msg())).toBe(false);
    expect(wantsNotification(s, "bob", msg({ mentions: ["Bob"] }))).toBe(true);
    expect(wantsNotification(s, "bob", msg({ room: "dm:alice:bob" }))).toBe(true);
  });

  it("all: any message by someone else; never one's own or a deleted one", () => {
    const s = settings("all");
    expect(wantsNotification(s, "bob", msg())).toBe(true);
    expect(wantsNotification(s, "bob", msg({ username: "BOB" }))).toBe(false);
    expect(wantsNotification(s, "bob", msg({ deleted: true }))).toBe(false);
  });

  it("none mutes, and a room's own level wins over the user's (case-insensitively)", () => {
    expect(wantsNotification(settings("none"), "bob", msg({ mentions: ["bob"] }))).toBe(false);
    expect(wantsNotification(settings("none"), "bob", msg({ room: "dm:alice:bob" }))).toBe(false);
    const muted = settings("all", { General: "none" });
    expect(levelIn(muted, "general")).toBe("none");
    expect(wantsNotification(muted, "bob", msg({ mentions: ["bob"] }))).toBe(false);
    expect(wantsNotification(muted, "bob", msg({ room: "ops" }))).toBe(true);
    expect(wantsNotification(settings("none", { ops: "all" }), "bob", msg({ room: "ops" }))).toBe(true);
  });
});

describe("mention tokens", () => {
  it("find names, @room/@here words, and skip e-mail addresses", () => {
    const t = mentionTokens("hi @Bob, @here and @channel; mail me at a@bob.org (@carol.)");
    expect([...t.names].sort()).toEqual(["bob", "carol", "carol."]);
    expect(t).toMatchObject({ here: true, room: true });
    expect(mentionTokens("no at sign").names.size).toBe(0);
  });

  it("keep members only, @here only those online", () => {
    const members = [
      { userId: 1, username: "Bob" },
      { userId: 2, username: "carol" },
    ];
    expect(mentionedMembers("@bob @dave", members, () => false)).toEqual([members[0]]);
    expect(mentionedMembers("@here", members, (id) => id === 2)).toEqual([members[1]]);
    expect(mentionedMembers("@room", members, () => false)).toEqual(members);
  });
});
