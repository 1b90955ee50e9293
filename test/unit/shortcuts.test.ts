// The keyboard shortcuts' pure parts: which key is which action, where Alt+↑/↓ and Alt+Shift+↑/↓ lead in
// the sidebar's order, and what the quick switcher lists and finds.
import { describe, expect, it } from "vitest";
import type { RoomSummary, UserSummary } from "@/lib/protocol";
import { shortcutOf, stepConversation, stepUnread, SHORTCUTS, type KeyPress } from "@/lib/web/shortcuts";
import { filterItems, switcherItems } from "@/lib/web/switcher";

const key = (k: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key: k,
  altKey: false,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  ...mods,
});

const room = (name: string, unread = 0, peer?: string): RoomSummary => ({
  name,
  kind: peer ? "dm" : "room",
  private: false,
  unread,
  mentions: 0,
  lastMessageId: 10,
  lastReadId: 10 - unread,
  ...(peer ? { peer } : {}),
});

describe("shortcutOf", () => {
  it("maps each shortcut's keys to its action", () => {
    expect(shortcutOf(key("k", { ctrlKey: true }), true)).toBe("switcher");
    expect(shortcutOf(key("K", { metaKey: true }), false)).toBe("switcher");
    expect(shortcutOf(key("ArrowDown", { altKey: true }), true)).toBe("next");
    expect(shortcutOf(key("ArrowUp", { altKey: true }), true)).toBe("previous");
    expect(shortcutOf(key("ArrowDown", { altKey: true, shiftKey: true }), true)).toBe("nextUnread");
    expect(shortcutOf(key("ArrowUp", { altKey: true, shiftKey: true }), false)).toBe("previousUnread");
    expect(shortcutOf(key("Escape"), true)).toBe("latest");
    expect(shortcutOf(key("?", { shiftKey: true }), false)).toBe("sheet");
  });

  it("leaves other keys alone: ? in a text field, plain arrows, Ctrl+Shift+K, Ctrl+Alt+↓", () => {
    expect(shortcutOf(key("?", { shiftKey: true }), true)).toBeNull();
    expect(shortcutOf(key("ArrowDown"), false)).toBeNull();
    expect(shortcutOf(key("k", { ctrlKey: true, shiftKey: true }), false)).toBeNull();
    expect(shortcutOf(key("ArrowDown", { altKey: true, ctrlKey: true }), false)).toBeNull();
    expect(shortcutOf(key("k"), false)).toBeNull();
  });

  it("lists every shortcut in the sheet, the composer's own included", () => {
    const listed = SHORTCUTS.map((s) => s.keys.join("+"));
    for (const keys of ["Mod+K", "Mod+F", "Alt+↑", "Alt+↓", "Alt+Shift+↑", "Alt+Shift+↓", "Esc", "↑", "?"])
      expect(listed).toContain(keys);
    expect(SHORTCUTS.filter((s) => s.keys.join("+") === "Esc")).toHaveLength(3);
  });
});

describe("moving through the sidebar", () => {
  const rooms = [room("general"), room("dev", 2), room("ops"), room("dm:a:bob", 1, "bob")];

  it("steps to the neighbour, stopping at the ends; from outside the list, to the first or last", () => {
    expect(stepConversation(rooms, "general", 1)?.name).toBe("dev");
    expect(stepConversation(rooms, "ops", -1)?.name).toBe("dev");
    expect(stepConversation(rooms, "general", -1)).toBeUndefined();
    expect(stepConversation(rooms, "dm:a:bob", 1)).toBeUndefined();
    expect(stepConversation(rooms, null, 1)?.name).toBe("general");
    expect(stepConversation(rooms, "dm:a:carol", -1)?.name).toBe("dm:a:bob");
  });

  it("finds the next conversation with unread messages either way, wrapping around, never the current one", () => {
    expect(stepUnread(rooms, "general", 1)?.name).toBe("dev");
    expect(stepUnread(rooms, "dev", 1)?.name).toBe("dm:a:bob");
    expect(stepUnread(rooms, "dm:a:bob", 1)?.name).toBe("dev"); // around the end
    expect(stepUnread(rooms, "ops", -1)?.name).toBe("dev");
    expect(stepUnread(rooms, "general", -1)?.name).toBe("dm:a:bob");
    expect(stepUnread(rooms, null, 1)?.name).toBe("dev");
    expect(stepUnread([room("general"), room("dev", 3)], "dev", 1)).toBeUndefined();
  });
});

describe("quick switcher items", () => {
  const users: UserSummary[] = [
    { username: "me", online: true, lastSeen: null },
    { username: "bob", online: true, lastSeen: null },
    { username: "dora", online: false, lastSeen: null },
    { username: "Adele", online: false, lastSeen: null },
  ];
  const rooms = [room("general"), room("design", 1), room("dm:bob:me", 0, "bob")];

  it("lists rooms and DMs in sidebar order, then the people without a DM (not oneself), by name", () => {
    const items = switcherItems(rooms, users, "me");
    expect(items.map((i) => `${i.kind}:${i.name}`)).toEqual([
      "room:general",
      "room:design",
      "dm:bob",
      "person:Adele",
      "person:dora",
    ]);
    expect(items.find((i) => i.name === "bob")).toMatchObject({ href: "/dm/bob", online: true });
    expect(items.find((i) => i.name === "design")).toMatchObject({ href: "/r/design", unread: 1 });
  });

  it("finds by name ignoring case and a leading # or @, those starting with it first", () => {
    const items = switcherItems(rooms, users, "me");
    expect(filterItems(items, "D").map((i) => i.name)).toEqual(["design", "dora", "Adele"]);
    expect(filterItems(items, "#gen").map((i) => i.name)).toEqual(["general"]);
    expect(filterItems(items, "@BO").map((i) => i.name)).toEqual(["bob"]);
    expect(filterItems(items, "  ")).toHaveLength(5);
    expect(filterItems(items, "xyz")).toEqual([]);
  });
});
