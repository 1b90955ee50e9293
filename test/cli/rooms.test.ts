// The terminal client's room book without a terminal or a server: room references, unread bookkeeping,
// and how the prompt, notices, /rooms and /who read.
import { describe, expect, it } from "vitest";
import { dmRoomName, type Message, type RoomSummary, type UserSummary } from "../../lib/protocol";
import {
  dmView,
  formatNewNotice,
  formatPresence,
  formatPrompt,
  formatRoomList,
  formatUnread,
  formatWho,
  generalView,
  parseRoomRef,
  peerFromDmName,
  RoomBook,
  viewLabel,
} from "../../cli/rooms";
import { formatTyping } from "../../cli/terminal/typing";
import { unchanged } from "../helpers/message-fixture";

const message = (id: number, room: string, username = "alice"): Message => ({
  ...unchanged(id),
  id,
  room,
  username,
  content: `m${id}`,
  timestamp: new Date(0).toISOString(),
});

const summary = (over: Partial<RoomSummary> & { name: string }): RoomSummary => ({
  kind: "room",
  private: false,
  unread: 0,
  mentions: 0,
  lastMessageId: 0,
  lastReadId: 0,
  ...over,
});

describe("room references and views", () => {
  it("parses rooms and users", () => {
    expect(parseRoomRef("#ops")).toEqual({ kind: "room", name: "ops" });
    expect(parseRoomRef("ops")).toEqual({ kind: "room", name: "ops" });
    expect(parseRoomRef("@Bob")).toEqual({ kind: "dm", user: "Bob" });
    expect(parseRoomRef("@b")).toHaveProperty("error");
    expect(parseRoomRef("a room")).toHaveProperty("error");
  });

  it("labels views and finds DM peers", () => {
    expect(viewLabel(generalView())).toBe("#general");
    expect(dmView("carol", "Bob")).toEqual({ kind: "dm", peer: "Bob", name: "dm:bob:carol" });
    expect(viewLabel(dmView("carol", "Bob"))).toBe("@Bob");
    expect(peerFromDmName("dm:bob:carol", "Carol")).toBe("bob");
    expect(peerFromDmName("dm:bob:carol", "bob")).toBe("carol");
    expect(peerFromDmName("ops", "bob")).toBeUndefined();
  });
});

describe("RoomBook", () => {
  it("counts messages by others in rooms other than the current one", () => {
    const book = new RoomBook("carol");
    book.replaceAll([summary({ name: "general" }), summary({ name: "ops" })]);
    expect(book.onMessage(message(1, "ops"), "general")).toBe(true);
    expect(book.onMessage(message(2, "ops", "Carol"), "general")).toBe(false); // own
    expect(book.onMessage(message(3, "general"), "general")).toBe(false); // on screen
    expect(book.onMessage(message(1, "ops"), "general")).toBe(false); // again
    expect(book.get("OPS")).toMatchObject({ unread: 1, lastMessageId: 2 });
    expect(book.get("general")).toMatchObject({ unread: 0, lastMessageId: 3 });
    expect(book.unreadRooms("general").map((r) => r.name)).toEqual(["ops"]);
    expect(book.unreadRooms("ops")).toEqual([]);
  });

  it("does not count messages the server's count already covers", () => {
    const book = new RoomBook("carol");
    book.upsert(summary({ name: "ops", unread: 2, lastMessageId: 10, lastReadId: 5 }));
    expect(book.onMessage(message(9, "ops"), "general")).toBe(false);
    expect(book.onMessage(message(11, "ops"), "general")).toBe(true);
    expect(book.get("ops")?.unread).toBe(3);
  });

  it("keeps messages counted here that are newer than a fresh count from the server", () => {
    const book = new RoomBook("carol");
    book.upsert(summary({ name: "ops" }));
    book.onMessage(message(4, "ops"), "general");
    book.onMessage(message(5, "ops"), "general");
    // the list was answered after 4 was stored but before 5
    book.replaceAll([summary({ name: "general" }), summary({ name: "ops", unread: 1, lastMessageId: 4 })]);
    expect(book.get("ops")?.unread).toBe(2);
    // a later one that covers both
    book.replaceAll([summary({ name: "general" }), summary({ name: "ops", unread: 2, lastMessageId: 5 })]);
    expect(book.get("ops")?.unread).toBe(2);
  });

  it("drops rooms missing from a full list, and removes left rooms", () => {
    const book = new RoomBook("carol");
    book.replaceAll([summary({ name: "general" }), summary({ name: "ops" }), summary({ name: "dev" })]);
    book.replaceAll([summary({ name: "general" }), summary({ name: "ops" })]);
    expect(book.has("dev")).toBe(false);
    book.remove("Ops");
    expect(book.list().map((r) => r.name)).toEqual(["general"]);
  });

  it("keeps joins and leaves made while a list was on its way, whatever that list says", () => {
    const book = new RoomBook("carol");
    book.replaceAll([summary({ name: "general" }), summary({ name: "dev" })]);
    const askedAt = book.mark();
    book.upsert(summary({ name: "archive" })); // joined after the list was asked for
    book.remove("dev"); // and left
    book.onMessage(message(9, dmRoomName("carol", "dora")), "general"); // a first DM
    book.replaceAll([summary({ name: "general" }), summary({ name: "dev" })], askedAt);
    expect(book.list().map((r) => r.name)).toEqual(["general", "archive", dmRoomName("carol", "dora")]);
    // a room joined meanwhile that the list does include takes the list's counts (read on another device)
    const dm = dmRoomName("carol", "dora");
    book.replaceAll(
      [summary({ name: "general" }), summary({ name: dm, kind: "dm", lastMessageId: 9, lastReadId: 9 })],
      askedAt,
    );
    expect(book.get(dm)).toMatchObject({ unread: 0, lastReadId: 9 });
    expect(book.has("archive")).toBe(true);
    // a list asked for afterwards is the truth again
    book.replaceAll([summary({ name: "general" })], book.mark());
    expect(book.list().map((r) => r.name)).toEqual(["general"]);
  });

  it("ignores a list asked for before one already applied (answers that crossed on the way)", () => {
    const book = new RoomBook("carol");
    const first = book.mark(); // the connection's refresh
    const second = book.mark(); // /rooms, typed right after
    // the second is answered first: ops read on another device meanwhile, dev left
    expect(
      book.replaceAll([summary({ name: "general" }), summary({ name: "ops", unread: 0, lastReadId: 9 })], second),
    ).toBe(true);
    expect(
      book.replaceAll(
        [summary({ name: "general" }), summary({ name: "ops", unread: 4 }), summary({ name: "dev" })],
        first,
      ),
    ).toBe(false);
    expect(book.list().map((r) => r.name)).toEqual(["general", "ops"]);
    expect(book.get("ops")).toMatchObject({ unread: 0, lastReadId: 9 });
    // a list asked for later still applies, and one without a mark always does, as the newest
    const third = book.mark();
    expect(book.replaceAll([summary({ name: "general" })], book.mark())).toBe(true);
    expect(book.replaceAll([summary({ name: "general" }), summary({ name: "dev" })])).toBe(true);
    expect(book.has("dev")).toBe(true);
    expect(book.replaceAll([summary({ name: "general" })], third)).toBe(false);
    expect(book.has("dev")).toBe(true);
  });

  it("applies read markers from any device, ignoring older ones", () => {
    const book = new RoomBook("carol");
    book.upsert(summary({ name: "ops", unread: 3, lastMessageId: 9, lastReadId: 6 }));
    book.onRead({ room: "ops", lastReadId: 9, unread: 0, mentions: 0, countedThrough: 9 });
    expect(book.get("ops")).toMatchObject({ unread: 0, lastReadId: 9 });
    book.onRead({ room: "ops", lastReadId: 7, unread: 2, mentions: 0, countedThrough: 9 });
    expect(book.get("ops")).toMatchObject({ unread: 0, lastReadId: 9 });
    expect(book.onMessage(message(8, "ops"), "general")).toBe(false);
  });

  it("a message that arrived past the server's count stays unread on top of it", () => {
    const book = new RoomBook("carol");
    book.upsert(summary({ name: "ops", unread: 0, lastMessageId: 9, lastReadId: 9 }));
    expect(book.onMessage(message(10, "ops"), "general")).toBe(true);
    expect(book.onMessage(message(11, "ops"), "general")).toBe(true);
    // a read marker counted before 11 was stored, answered after it arrived
    book.onRead({ room: "ops", lastReadId: 9, unread: 1, mentions: 0, countedThrough: 10 });
    expect(book.get("ops")).toMatchObject({ unread: 2, lastReadId: 9 });
  });

  it("reads a room locally when it is shown", () => {
    const book = new RoomBook("carol");
    book.upsert(summary({ name: "ops", unread: 3, lastMessageId: 9 }));
    book.readLocally("ops");
    expect(book.get("ops")?.unread).toBe(0);
  });

  it("adds a DM it did not know from its first message, with the other user as peer", () => {
    const book = new RoomBook("carol");
    expect(book.onMessage(message(5, "dm:bob:carol", "Bob"), "general")).toBe(true);
    expect(book.get("dm:bob:carol")).toMatchObject({ kind: "dm", peer: "Bob", unread: 1, private: true });
    const mine = new RoomBook("carol");
    mine.onMessage(message(6, "dm:bob:carol", "carol"), "general");
    expect(mine.get("dm:bob:carol")).toMatchObject({ peer: "bob", unread: 0 });
    expect(book.dmPeers()).toEqual(new Set(["bob"]));
  });

  it("lists general, then rooms, then DMs", () => {
    const book = new RoomBook("carol");
    book.replaceAll([
      summary({ name: "dm:alice:carol", kind: "dm", peer: "alice", private: true }),
      summary({ name: "zeta" }),
      summary({ name: "general" }),
      summary({ name: "Alpha" }),
    ]);
    expect(book.list().map((r) => r.name)).toEqual(["general", "Alpha", "zeta", "dm:alice:carol"]);
  });
});

describe("prompt and notices", () => {
  const entry = (name: string, unread: number, kind: "room" | "dm" = "room", peer?: string) => ({
    name,
    kind,
    unread,
    private: false,
    lastMessageId: 0,
    lastReadId: 0,
    ...(peer ? { peer } : {}),
  });

  it("formats unread counts compactly", () => {
    expect(formatUnread([])).toBe("");
    expect(formatUnread([entry("ops", 2), entry("dm:bob:carol", 1, "dm", "bob")])).toBe("[ops 2, @bob 1]");
    expect(formatUnread([entry("a", 1), entry("b", 1), entry("c", 1)], 2)).toBe("[a 1, b 1, +1 more]");
    expect(formatUnread([entry("big", 5000)])).toBe("[big 999+]");
  });

  it("formats the prompt with the room and unread counts", () => {
    expect(formatPrompt("carol", generalView(), "")).toBe("carol #general> ");
    expect(formatPrompt("carol", dmView("carol", "bob"), "[ops 2]")).toBe("carol @bob [ops 2]> ");
  });

  it("says who is typing", () => {
    expect(formatTyping([])).toBe("");
    expect(formatTyping(["alice"])).toBe("alice is typing…");
    expect(formatTyping(["alice", "bob"])).toBe("alice and bob are typing…");
    expect(formatTyping(["alice", "bob", "dave"])).toBe("alice, bob and dave are typing…");
    expect(formatTyping(["a", "b", "c", "d"])).toBe("4 people are typing…");
  });

  it("words new-message notices for rooms and DMs", () => {
    expect(formatNewNotice(entry("ops", 2))).toBe("* 2 new in #ops (/switch ops)"); // a room the user is in
    expect(formatNewNotice(entry("dm:bob:carol", 1, "dm", "bob"))).toBe("* 1 new from @bob (/dm bob)");
  });
});

describe("/rooms and /who", () => {
  const now = new Date(2024, 1, 7, 18, 0);
  const bob: UserSummary = { username: "bob", online: false, lastSeen: new Date(2024, 1, 7, 14, 2).toISOString() };
  const users: UserSummary[] = [
    { username: "alice", online: true, lastSeen: null },
    bob,
    { username: "carol", online: true, lastSeen: null },
    { username: "dave", online: false, lastSeen: null },
  ];

  it("formats presence", () => {
    expect(formatPresence({ online: true, lastSeen: null }, now)).toBe("online");
    expect(formatPresence({ online: false, lastSeen: null }, now)).toBe("offline");
    expect(formatPresence(bob, now)).toBe("last seen 14:02");
    expect(formatPresence({ online: false, lastSeen: new Date(2024, 0, 3, 9, 5).toISOString() }, now)).toBe(
      "last seen 2024-01-03 09:05",
    );
  });

  it("lists rooms, DMs with presence, and public rooms to join", () => {
    const book = new RoomBook("carol");
    book.replaceAll([
      summary({ name: "general" }),
      summary({ name: "ops", unread: 2 }),
      summary({ name: "hq", private: true }),
      summary({ name: "dm:bob:carol", kind: "dm", private: true, peer: "bob", unread: 1 }),
    ]);
    const text = formatRoomList({
      rooms: book.list(),
      directory: [
        { name: "general", joined: true },
        { name: "ops", joined: true },
        { name: "random", joined: false },
      ],
      current: { kind: "room", name: "ops" },
      users,
      now,
    });
    expect(text.split("\n")).toEqual([
      "Rooms:",
      "  #general",
      "  #hq                 private",
      "> #ops                2 unread",
      "Direct messages:",
      "  @bob                1 unread · last seen 14:02",
      "Public rooms to /join: #random",
    ]);
  });

  it("shows the current room's members first, online first", () => {
    const text = formatWho({ users, members: ["carol", "bob", "alice"], current: { kind: "room", name: "ops" }, now });
    expect(text.split("\n")).toEqual([
      "In #ops (3):",
      "  ● alice                online",
      "  ● carol                online",
      "  ○ bob                  last seen 14:02",
      "Not in #ops:",
      "  ○ dave                 offline",
    ]);
    expect(formatWho({ users, current: generalView(), now }).split("\n")[0]).toBe("Everyone (4, 2 online):");
  });
});
