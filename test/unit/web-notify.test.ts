import { describe, expect, it } from "vitest";
import type { NotificationSettings } from "@/lib/protocol";
import { levelIn } from "@/lib/notify/levels";
import { base64UrlToBytes, BODY_MAX, notificationContent, roomOverride, withRoomLevel } from "@/lib/web/notify";
import { messageIdOfSearch, notificationHref } from "@/lib/web/routes";

const settings: NotificationSettings = { level: "mentions", rooms: { Dev: "all", ops: "none" } };

describe("room overrides", () => {
  it("reads a room's own level case-insensitively, null when it follows the user's", () => {
    expect(roomOverride(settings, "dev")).toBe("all");
    expect(roomOverride(settings, "OPS")).toBe("none");
    expect(roomOverride(settings, "general")).toBeNull();
  });

  it("sets, replaces (whatever the case it was stored in) and clears one room, leaving the rest", () => {
    const set = withRoomLevel(settings, "general", "none");
    expect(set).toEqual({ level: "mentions", rooms: { Dev: "all", ops: "none", general: "none" } });
    const replaced = withRoomLevel(settings, "dev", "mentions");
    expect(replaced.rooms).toEqual({ ops: "none", dev: "mentions" });
    expect(levelIn(replaced, "DEV")).toBe("mentions");
    const cleared = withRoomLevel(settings, "DEV", null);
    expect(cleared.rooms).toEqual({ ops: "none" });
    expect(levelIn(cleared, "dev")).toBe("mentions");
    // the input is left alone
    expect(settings.rooms).toEqual({ Dev: "all", ops: "none" });
  });
});

describe("notificationContent", () => {
  const base = { id: 42, username: "alice", content: "hi @bob" };

  it("titles a room message with author and room, a DM with the author; links to the message", () => {
    expect(notificationContent({ ...base, room: "dev" })).toEqual({
      title: "alice in #dev",
      body: "hi @bob",
      tag: "chatterbox:dev",
      href: "/r/dev?m=42",
    });
    const dm = notificationContent({ ...base, room: "dm:alice:bob" });
    expect(dm.title).toBe("alice");
    expect(dm.href).toBe("/dm/alice?m=42");
  });

  it("cuts a long body by code points, never inside an emoji", () => {
    const long = "🎉".repeat(BODY_MAX + 5);
    const { body } = notificationContent({ ...base, room: "dev", content: long });
    expect([...body]).toHaveLength(BODY_MAX);
    expect(body.endsWith("🎉…")).toBe(true);
    const exact = "x".repeat(BODY_MAX);
    expect(notificationContent({ ...base, room: "dev", content: exact }).body).toBe(exact);
  });
});

describe("deep links", () => {
  it("encodes names in the path and reads ?m= back", () => {
    expect(notificationHref({ room: "a b", username: "x", id: 7 })).toBe("/r/a%20b?m=7");
    expect(messageIdOfSearch("?m=7")).toBe(7);
    expect(messageIdOfSearch("?x=1&m=123")).toBe(123);
    for (const bad of ["", "?m=", "?m=0", "?m=-1", "?m=1e3", "?m=abc", "?m=01"])
      expect(messageIdOfSearch(bad)).toBeNull();
  });
});

describe("base64UrlToBytes", () => {
  it("decodes unpadded base64url, as a VAPID key is sent", () => {
    const bytes = Uint8Array.from({ length: 65 }, (_, i) => (i * 37 + 4) % 256);
    const encoded = Buffer.from(bytes).toString("base64url");
    expect(encoded).not.toMatch(/[+/=]/);
    expect(Array.from(base64UrlToBytes(encoded))).toEqual(Array.from(bytes));
    expect(Array.from(base64UrlToBytes(Buffer.from([251, 255]).toString("base64url")))).toEqual([251, 255]);
  });
});
