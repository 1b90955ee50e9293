import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dmRoomName, type Message, type RoomSummary, type UserSummary } from "@/lib/protocol";
import {
  chatReducer,
  emptyTimeline,
  findRoom,
  initialChatState,
  sortRooms,
  type ChatAction,
  type ChatState,
  type OutboxItem,
  type Timeline,
  type TimelineStatus,
} from "@/lib/web/chat-state";
import { roomKey } from "@/lib/web/routes";
import { mergeMessages } from "@/lib/web/timeline";
import { unchanged } from "../helpers/message-fixture";

const ME = "me";
const DM_BOB = dmRoomName(ME, "bob");
const DM_ZED = dmRoomName(ME, "Zed");

/** The message with a given id: the same id always means the same message, as on the server. */
const msg = (id: number, room = "general", username = "bob", extra: Partial<Message> = {}): Message => ({
  ...unchanged(id),
  id,
  username,
  content: `message ${id}`,
  timestamp: new Date(Date.UTC(2024, 1, 7, 10, 30, 0, id)).toISOString(),
  room,
  ...extra,
});

const summary = (name: string, extra: Partial<RoomSummary> = {}): RoomSummary => ({
  name,
  kind: name.startsWith("dm:") ? "dm" : "room",
  private: false,
  unread: 0,
  mentions: 0,
  lastMessageId: 0,
  lastReadId: 0,
  ...(name.startsWith("dm:")
    ? {
        peer:
          name
            .split(":")
            .slice(1)
            .find((u) => u !== ME.toLowerCase()) ?? ME,
      }
    : {}),
  ...extra,
});

const item = (clientId: string, room = "general", extra: Partial<OutboxItem> = {}): OutboxItem => ({
  clientId,
  content: `text of ${clientId}`,
  state: "sending",
  room,
  address: { room },
  ...extra,
});

const user = (username: string, online = false, lastSeen: string | null = null): UserSummary => ({
  username,
  online,
  lastSeen,
});

const run = (actions: readonly ChatAction[], state: ChatState = initialChatState(ME)): ChatState =>
  actions.reduce(chatReducer, state);

const withRooms = (...rooms: RoomSummary[]): ChatState => run([{ type: "rooms", rooms }]);

const ids = (ms: readonly Message[]) => ms.map((m) => m.id);
const names = (s: ChatState) => s.rooms.map((r) => r.name);

function room(state: ChatState, key: string): RoomSummary {
  const r = findRoom(state, key);
  if (!r) throw new Error(`no room ${key} in state`);
  return r;
}

function timeline(state: ChatState, key: string): Timeline {
  const t = state.timelines[key];
  if (!t) throw new Error(`no timeline ${key} in state`);
  return t;
}

const unread = (state: ChatState, key: string) => room(state, key).unread;

const received = (...messages: Message[]): ChatAction => ({ type: "received", messages });

/** Deep-freezes a value so that any mutation by the reducer throws (modules run in strict mode). */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

describe("initialChatState and emptyTimeline", () => {
  it("starts connecting, with nothing loaded and nothing viewed", () => {
    expect(initialChatState("alice")).toEqual({
      me: "alice",
      connection: "connecting",
      error: null,
      rooms: [],
      roomsLoaded: false,
      timelines: {},
      outbox: [],
      users: [],
      usersLoaded: false,
      typing: {},
      viewing: null,
      countedThrough: {},
      membershipSeq: 0,
      membershipLog: {},
      members: {},
      memberSeq: 0,
      memberLog: {},
    });
  });

  it("an empty timeline is idle by default and takes a given status", () => {
    expect(emptyTimeline()).toEqual({
      messages: [],
      ahead: null,
      status: "idle",
      hasOlder: false,
      loadingOlder: false,
      loadingNewer: false,
      error: null,
      olderError: null,
      newerError: null,
    });
    expect(emptyTimeline("forbidden").status).toBe("forbidden");
    // a fresh object every time: states never share a mutable timeline
    expect(emptyTimeline()).not.toBe(emptyTimeline());
  });
});

describe("sortRooms and findRoom", () => {
  it("puts general first, then rooms, then DMs, each by name (DMs by their peer), case-insensitively", () => {
    const rooms = [
      summary(DM_ZED),
      summary("zeta"),
      summary(DM_BOB),
      summary("Alpha"),
      summary("general"),
      summary("beta"),
      summary(dmRoomName(ME, "Carol"), { peer: "Carol" }),
    ];
    expect(sortRooms(rooms).map((r) => r.name)).toEqual([
      "general",
      "Alpha",
      "beta",
      "zeta",
      DM_BOB,
      dmRoomName(ME, "carol"),
      DM_ZED,
    ]);
  });

  it("ranks general first whatever its spelling, and a DM sorts by peer, not by its dm: name", () => {
    const sorted = sortRooms([summary("aaa"), summary("General")]);
    expect(sorted.map((r) => r.name)).toEqual(["General", "aaa"]);
    // dm:a:me with peer "a" vs dm:me:zz with peer "zz": sorted by peer
    const dms = sortRooms([summary("dm:me:zz", { peer: "zz" }), summary("dm:a:me", { peer: "a" })]);
    expect(dms.map((r) => r.peer)).toEqual(["a", "zz"]);
  });

  it("does not modify its input", () => {
    const rooms = [summary("b"), summary("a")];
    const sorted = sortRooms(rooms);
    expect(rooms.map((r) => r.name)).toEqual(["b", "a"]);
    expect(sorted).not.toBe(rooms);
  });

  it("findRoom looks rooms up by key (the lowercased name)", () => {
    const state = withRooms(summary("general"), summary("Random"));
    expect(findRoom(state, "random")?.name).toBe("Random");
    expect(findRoom(state, roomKey("Random"))?.name).toBe("Random");
    expect(findRoom(state, "nope")).toBeUndefined();
  });
});

describe("connection and error", () => {
  it("connection sets the connection state and nothing else", () => {
    const before = withRooms(summary("general"));
    for (const state of ["live", "reconnecting", "offline", "connecting"] as const) {
      const after = chatReducer(before, { type: "connection", state });
      expect(after).toEqual({ ...before, connection: state });
    }
  });

  it("error sets and clears the error", () => {
    const failed = chatReducer(initialChatState(ME), { type: "error", error: "boom" });
    expect(failed.error).toBe("boom");
    expect(chatReducer(failed, { type: "error", error: null }).error).toBeNull();
  });
});

describe("rooms (GET /api/rooms)", () => {
  it("stores the rooms sorted and marks them loaded", () => {
    const state = withRooms(summary(DM_BOB), summary("random"), summary("general"));
    expect(names(state)).toEqual(["general", "random", DM_BOB]);
    expect(state.roomsLoaded).toBe(true);
  });

  it("replaces the list: a room no longer in the reply is gone", () => {
    const state = run([{ type: "rooms", rooms: [summary("general")] }], withRooms(summary("general"), summary("old")));
    expect(names(state)).toEqual(["general"]);
  });

  it("takes the server's counts when nothing newer is held, and keeps the summary as given", () => {
    const general = summary("general", { unread: 4, lastMessageId: 20, lastReadId: 16 });
    const state = withRooms(general);
    expect(room(state, "general")).toBe(general);
  });

  it("race: messages that arrived before the reply are added to the server's count (others' only)", () => {
    const state = run([
      // history and live messages arrive first...
      received(msg(9, "random"), msg(10, "random"), msg(11, "random", "bob"), msg(12, "random", ME)),
      received(msg(13, "random", "carol")),
      // ...then the reply, counted by the server when 10 was the newest message
      { type: "rooms", rooms: [summary("general"), summary("random", { unread: 2, lastMessageId: 10 })] },
    ]);
    // 11 (bob) and 13 (carol) are new to the server's count; 12 is mine; 9 and 10 were already counted
    expect(room(state, "random")).toMatchObject({ unread: 4, lastMessageId: 13 });
  });

  it("race: own messages newer than the reply move lastMessageId but not unread", () => {
    const state = run([
      received(msg(11, "random", ME)),
      { type: "rooms", rooms: [summary("random", { unread: 1, lastMessageId: 10 })] },
    ]);
    expect(room(state, "random")).toMatchObject({ unread: 1, lastMessageId: 11 });
  });

  it("race: a message counted by both the reply and live is counted once, in either order", () => {
    const reply: ChatAction = { type: "rooms", rooms: [summary("random", { unread: 3, lastMessageId: 11 })] };
    const live = received(msg(11, "random", "bob"));
    expect(unread(run([live, reply]), "random")).toBe(3);
    expect(unread(run([reply, live]), "random")).toBe(3);
    // and the next message is counted on top
    expect(unread(run([live, reply, received(msg(12, "random"))]), "random")).toBe(4);
  });

  it("the room being viewed has nothing unread whatever the server says", () => {
    const state = run([
      { type: "view", room: "random" },
      received(msg(11, "random")),
      {
        type: "rooms",
        rooms: [summary("general", { unread: 2 }), summary("random", { unread: 5, lastMessageId: 10 })],
      },
    ]);
    expect(unread(state, "random")).toBe(0);
    expect(room(state, "random").lastMessageId).toBe(11);
    expect(unread(state, "general")).toBe(2);
  });
});

describe("rooms racing room:joined / room:left", () => {
  const asked = (state: ChatState) => state.membershipSeq;

  it("a room joined while the list was on its way stays, though the list lacks it", () => {
    const before = withRooms(summary("general"));
    const askedAt = asked(before);
    const after = run(
      [
        { type: "room:joined", room: summary("fresh") },
        { type: "rooms", rooms: [summary("general")], askedAt },
      ],
      before,
    );
    expect(names(after)).toEqual(["general", "fresh"]);
  });

  it("a room left while the list was on its way stays gone, though the list has it", () => {
    const before = withRooms(summary("general"), summary("old"));
    const askedAt = asked(before);
    const after = run(
      [
        { type: "room:left", room: "old" },
        { type: "rooms", rooms: [summary("general"), summary("old")], askedAt },
      ],
      before,
    );
    expect(names(after)).toEqual(["general"]);
  });

  it("a list asked for after the event is the truth, both ways", () => {
    const state = run([
      { type: "rooms", rooms: [summary("general"), summary("old")] },
      { type: "room:joined", room: summary("fresh") },
      { type: "room:left", room: "old" },
    ]);
    const askedAt = asked(state);
    // the server says: fresh was left again elsewhere, old was joined again
    const after = run([{ type: "rooms", rooms: [summary("general"), summary("old")], askedAt }], state);
    expect(names(after)).toEqual(["general", "old"]);
  });

  it("a room in the list keeps the list's summary even when a join raced it", () => {
    const before = withRooms(summary("general"));
    const askedAt = asked(before);
    const after = run(
      [
        { type: "room:joined", room: summary("fresh", { unread: 0 }) },
        { type: "rooms", rooms: [summary("general"), summary("fresh", { unread: 3, lastMessageId: 3 })], askedAt },
      ],
      before,
    );
    expect(room(after, "fresh").unread).toBe(3);
  });
});

describe("members", () => {
  const members = (state: ChatState, key: string) => state.members[key];

  it("a fetched list is kept per room key; room:member adds and removes (case-insensitively, no duplicates)", () => {
    const state = run([
      { type: "rooms", rooms: [summary("general"), summary("Ops")] },
      { type: "members", room: "Ops", members: ["me", "bob"] },
      { type: "room:member", room: "ops", username: "carol", joined: true },
      { type: "room:member", room: "OPS", username: "Carol", joined: true },
      { type: "room:member", room: "ops", username: "BOB", joined: false },
    ]);
    expect(members(state, "ops")).toEqual(["me", "Carol"]);
  });

  it("room:member for a list never fetched changes nothing (it is fetched when shown)", () => {
    const state = run([{ type: "room:member", room: "ops", username: "carol", joined: true }]);
    expect(members(state, "ops")).toBeUndefined();
  });

  it("race: joins and leaves heard while the list was on its way are applied to it", () => {
    const before = withRooms(summary("general"), summary("ops"));
    const askedAt = before.memberSeq;
    const after = run(
      [
        { type: "room:member", room: "ops", username: "carol", joined: true },
        { type: "room:member", room: "ops", username: "bob", joined: false },
        { type: "members", room: "ops", members: ["me", "bob"], askedAt },
      ],
      before,
    );
    expect(members(after, "ops")).toEqual(["me", "carol"]);
  });

  it("race: a list that arrives after the room was left is dropped", () => {
    const state = run([
      { type: "rooms", rooms: [summary("general"), summary("ops")] },
      { type: "room:left", room: "ops" },
      { type: "members", room: "ops", members: ["me"] },
    ]);
    expect(members(state, "ops")).toBeUndefined();
  });

  it("members:stale drops every list; leaving a room drops its list", () => {
    const base = run([
      { type: "rooms", rooms: [summary("general"), summary("ops"), summary("dev")] },
      { type: "members", room: "ops", members: ["me"] },
      { type: "members", room: "dev", members: ["me"] },
    ]);
    expect(run([{ type: "members:stale" }], base).members).toEqual({});
    expect(run([{ type: "room:left", room: "ops" }], base).members).toEqual({ dev: ["me"] });
  });
});

describe("room:joined", () => {
  it("adds the room in its place: general first, then rooms, then DMs, each by name", () => {
    const state = run(
      [
        { type: "room:joined", room: summary("beta") },
        { type: "room:joined", room: summary(DM_BOB) },
        { type: "room:joined", room: summary("Alpha") },
        { type: "room:joined", room: summary("zulu") },
        { type: "room:joined", room: summary(DM_ZED) },
      ],
      withRooms(summary("general")),
    );
    expect(names(state)).toEqual(["general", "Alpha", "beta", "zulu", DM_BOB, DM_ZED]);
  });

  it("replaces an existing entry with the same key instead of duplicating it", () => {
    const state = run(
      [{ type: "room:joined", room: summary("Random", { unread: 7, lastMessageId: 30, private: true }) }],
      withRooms(summary("general"), summary("random", { unread: 1, lastMessageId: 3 })),
    );
    expect(names(state)).toEqual(["general", "Random"]);
    expect(room(state, "random")).toMatchObject({ unread: 7, lastMessageId: 30, private: true });
  });

  it("race: a first DM's message that arrived before room:joined is counted once, whichever summary comes", () => {
    const first = msg(5, DM_BOB, "bob");
    // the summary was computed before the message committed
    const early = run([received(first), { type: "room:joined", room: summary(DM_BOB) }], withRooms(summary("general")));
    expect(room(early, DM_BOB)).toMatchObject({ unread: 1, lastMessageId: 5 });
    // the summary was computed after: it already counts the message
    const late = run(
      [received(first), { type: "room:joined", room: summary(DM_BOB, { unread: 1, lastMessageId: 5 }) }],
      withRooms(summary("general")),
    );
    expect(room(late, DM_BOB)).toMatchObject({ unread: 1, lastMessageId: 5 });
  });

  it("a room joined while on screen has nothing unread", () => {
    const state = run([
      { type: "view", room: "random" },
      { type: "room:joined", room: summary("random", { unread: 4, lastMessageId: 9 }) },
    ]);
    expect(unread(state, "random")).toBe(0);
  });

  it("makes a timeline that was out of reach (forbidden, missing) loadable again", () => {
    for (const status of ["forbidden", "missing"] as const) {
      const state = run([
        { type: "timeline:status", room: "random", status, error: "no" },
        { type: "room:joined", room: summary("random") },
      ]);
      expect(timeline(state, "random").status).toBe("idle");
    }
  });

  it("leaves other timelines alone, and creates none", () => {
    for (const status of ["loading", "ready", "error", "idle"] as const) {
      const state = run([
        { type: "timeline:status", room: "random", status },
        { type: "room:joined", room: summary("random") },
      ]);
      expect(timeline(state, "random").status).toBe(status);
    }
    const fresh = run([{ type: "room:joined", room: summary("random") }]);
    expect(fresh.timelines).toEqual({});
  });
});

describe("room:left", () => {
  const start = () =>
    run(
      [
        received(msg(1, "general"), msg(2, "Dev"), msg(3, "random")),
        { type: "outbox:add", item: item("a", "dev") },
        { type: "outbox:add", item: item("b", "general") },
        { type: "outbox:add", item: item("c", "random") },
      ],
      withRooms(summary("general"), summary("Dev"), summary("random")),
    );

  it("removes the room, its timeline and its outbox entries, and nothing else", () => {
    const state = chatReducer(start(), { type: "room:left", room: "Dev" });
    expect(names(state)).toEqual(["general", "random"]);
    expect(Object.keys(state.timelines).sort()).toEqual(["general", "random"]);
    expect(state.outbox.map((o) => o.clientId)).toEqual(["b", "c"]);
  });

  it("matches the room case-insensitively", () => {
    const state = chatReducer(start(), { type: "room:left", room: "DEV" });
    expect(findRoom(state, "dev")).toBeUndefined();
    expect(state.timelines.dev).toBeUndefined();
  });

  it("leaving a room not held changes no room", () => {
    const before = start();
    const state = chatReducer(before, { type: "room:left", room: "elsewhere" });
    expect(state.rooms).toEqual(before.rooms);
    expect(state.timelines).toEqual(before.timelines);
    expect(state.outbox).toEqual(before.outbox);
  });

  it("property: leaving and joining any rooms keeps general, first, and the documented order", () => {
    const all = ["alpha", "Beta", "gamma", "Delta", DM_BOB, DM_ZED, dmRoomName(ME, "amy")];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.constantFrom(...all)), { maxLength: 30 }), (steps) => {
        const actions = steps.map(([join, n]): ChatAction =>
          join ? { type: "room:joined", room: summary(n) } : { type: "room:left", room: n },
        );
        const state = run(actions, withRooms(summary("general")));
        expect(state.rooms[0]?.name).toBe("general");
        expect(state.rooms).toEqual(sortRooms(state.rooms));
        const keys = state.rooms.map((r) => roomKey(r.name));
        expect(new Set(keys).size).toBe(keys.length);
        // each room is held exactly when its last event was a join
        for (const n of all) {
          const last = steps.filter(([, m]) => m === n).at(-1);
          expect(findRoom(state, roomKey(n)) !== undefined).toBe(last?.[0] === true);
        }
      }),
    );
  });
});

describe("room:read", () => {
  const state = () =>
    withRooms(
      summary("general", { unread: 5, lastMessageId: 20, lastReadId: 15 }),
      summary("random", { unread: 2, lastMessageId: 8, lastReadId: 6 }),
    );

  it("takes the server's unread count and moves the marker, in that room only", () => {
    const after = chatReducer(state(), {
      type: "room:read",
      room: "general",
      lastReadId: 18,
      unread: 2,
      mentions: 0,
      countedThrough: 20,
    });
    expect(room(after, "general")).toMatchObject({ unread: 2, lastReadId: 18, lastMessageId: 20 });
    expect(room(after, "random")).toEqual(room(state(), "random"));
  });

  it("resets unread to zero when everything is read, matching the room case-insensitively", () => {
    const after = chatReducer(state(), {
      type: "room:read",
      room: "General",
      lastReadId: 20,
      unread: 0,
      mentions: 0,
      countedThrough: 20,
    });
    expect(room(after, "general")).toMatchObject({ unread: 0, lastReadId: 20 });
  });

  it("what this tab holds past the server's count stays unread on top of it", () => {
    const held = chatReducer(state(), {
      type: "received",
      messages: [msg(21, "general", "bob"), msg(22, "general", "bob")],
    });
    expect(room(held, "general").unread).toBe(7);
    // counted before 22 was stored, answered after it arrived
    const after = chatReducer(held, {
      type: "room:read",
      room: "general",
      lastReadId: 20,
      unread: 1,
      mentions: 0,
      countedThrough: 21,
    });
    expect(room(after, "general")).toMatchObject({ unread: 2, lastReadId: 20 });
  });

  it("never moves the marker backwards", () => {
    const after = run(
      [
        { type: "room:read", room: "general", lastReadId: 19, unread: 1, mentions: 0, countedThrough: 20 },
        { type: "room:read", room: "general", lastReadId: 17, unread: 1, mentions: 0, countedThrough: 20 },
      ],
      state(),
    );
    expect(room(after, "general").lastReadId).toBe(19);
  });

  it("a room on screen stays at zero whatever the server counts", () => {
    const after = run(
      [
        { type: "view", room: "general" },
        { type: "room:read", room: "general", lastReadId: 16, unread: 4, mentions: 0, countedThrough: 20 },
      ],
      state(),
    );
    expect(room(after, "general")).toMatchObject({ unread: 0, lastReadId: 16 });
  });

  it("a read of an unknown room changes no room", () => {
    const after = chatReducer(state(), {
      type: "room:read",
      room: "nope",
      lastReadId: 3,
      unread: 0,
      mentions: 0,
      countedThrough: 20,
    });
    expect(after.rooms).toEqual(state().rooms);
  });

  it("a stale read (marker behind the one held) does not bring back unread messages", () => {
    // two reads handled concurrently by the server can be emitted out of order: the marker stays at 20
    // (never backwards), so the count that goes with it is the one for 20, not the stale one for 15
    const after = run(
      [
        { type: "room:read", room: "general", lastReadId: 20, unread: 0, mentions: 0, countedThrough: 20 },
        { type: "room:read", room: "general", lastReadId: 15, unread: 5, mentions: 0, countedThrough: 20 },
      ],
      state(),
    );
    expect(room(after, "general").lastReadId).toBe(20);
    // read up to 20 of 20: nothing can be unread
    expect(room(after, "general").unread).toBe(0);
  });
});

describe("received", () => {
  it("files messages under their room's key, creating an idle timeline for a room never loaded", () => {
    const state = run([received(msg(1, "Random"), msg(2, "general"), msg(3, "RANDOM"))]);
    expect(ids(timeline(state, "random").messages)).toEqual([1, 3]);
    expect(ids(timeline(state, "general").messages)).toEqual([2]);
    expect(timeline(state, "random")).toMatchObject({ status: "idle", hasOlder: false, loadingOlder: false });
  });

  it("merges by id: duplicates once, out-of-order in id order", () => {
    const state = run([
      received(msg(5), msg(7)),
      received(msg(7), msg(6), msg(5)),
      received(msg(2)),
      received(msg(9), msg(9)),
    ]);
    expect(ids(timeline(state, "general").messages)).toEqual([2, 5, 6, 7, 9]);
  });

  it("counts others' messages in rooms not on screen, and moves lastMessageId", () => {
    const state = run(
      [received(msg(11, "random", "bob"), msg(12, "random", "carol"))],
      withRooms(summary("general"), summary("random", { unread: 1, lastMessageId: 10 })),
    );
    expect(room(state, "random")).toMatchObject({ unread: 3, lastMessageId: 12 });
    expect(unread(state, "general")).toBe(0);
  });

  it("never counts own messages (acks, broadcasts of own sends)", () => {
    const state = run(
      [received(msg(11, "random", ME)), received(msg(12, "random", ME, { clientId: "x" }))],
      withRooms(summary("random", { unread: 1, lastMessageId: 10 })),
    );
    expect(room(state, "random")).toMatchObject({ unread: 1, lastMessageId: 12 });
  });

  it("does not count messages the summary already covers (history replayed, gap fill overlap)", () => {
    const state = run(
      [received(msg(8, "random"), msg(9, "random"), msg(10, "random"))],
      withRooms(summary("random", { unread: 2, lastMessageId: 10 })),
    );
    expect(room(state, "random")).toMatchObject({ unread: 2, lastMessageId: 10 });
  });

  it("a message delivered again in a later batch is counted once", () => {
    const state = run(
      [received(msg(11, "random")), received(msg(11, "random")), received(msg(10, "random"), msg(11, "random"))],
      withRooms(summary("random", { unread: 0, lastMessageId: 10 })),
    );
    expect(unread(state, "random")).toBe(1);
  });

  it("a message delivered twice in one batch is counted once", () => {
    const state = run(
      [received(msg(11, "random"), msg(11, "random"))],
      withRooms(summary("random", { unread: 0, lastMessageId: 10 })),
    );
    expect(ids(timeline(state, "random").messages)).toEqual([11]);
    expect(unread(state, "random")).toBe(1);
  });

  it("an unseen older message arriving after a newer one is still counted (live before the gap fill)", () => {
    // reconnect after seeing 10: live 12 reaches the client first, then the history carries the gap [11, 12]
    const state = run(
      [received(msg(12, "random", "bob")), received(msg(11, "random", "carol"), msg(12, "random", "bob"))],
      withRooms(summary("random", { unread: 0, lastMessageId: 10 })),
    );
    expect(ids(timeline(state, "random").messages)).toEqual([11, 12]);
    // both 11 and 12 are others' messages nobody has read
    expect(room(state, "random")).toMatchObject({ unread: 2, lastMessageId: 12 });
  });

  it("counts per room in a batch spanning several rooms", () => {
    const state = run(
      [received(msg(11, "random"), msg(12, DM_BOB, "bob"), msg(13, "general", ME), msg(14, "Random", "carol"))],
      withRooms(summary("general", { lastMessageId: 10 }), summary("random", { lastMessageId: 10 }), summary(DM_BOB)),
    );
    expect(unread(state, "random")).toBe(2);
    expect(unread(state, DM_BOB)).toBe(1);
    expect(unread(state, "general")).toBe(0);
  });

  it("messages of a room not in the list land in its timeline without inventing a room", () => {
    const state = run([received(msg(3, DM_BOB))], withRooms(summary("general")));
    expect(names(state)).toEqual(["general"]);
    expect(ids(timeline(state, DM_BOB).messages)).toEqual([3]);
  });

  it("the sender stops typing in that room only", () => {
    const state = run([
      { type: "typing", room: "random", username: "bob", until: 1000 },
      { type: "typing", room: "random", username: "carol", until: 1000 },
      { type: "typing", room: "general", username: "bob", until: 1000 },
      received(msg(1, "Random", "bob")),
    ]);
    expect(state.typing).toEqual({ random: { carol: 1000 }, general: { bob: 1000 } });
  });

  it("settles the outbox entries whose message arrived (by clientId), failed or not", () => {
    const state = run([
      { type: "outbox:add", item: item("a") },
      { type: "outbox:add", item: item("b", "general", { state: "failed", error: "too fast" }) },
      { type: "outbox:add", item: item("c") },
      received(msg(1, "general", ME, { clientId: "a" }), msg(2, "general", ME, { clientId: "b" })),
    ]);
    expect(state.outbox).toEqual([item("c")]);
  });

  it("an empty batch changes nothing", () => {
    const before = withRooms(summary("general"));
    expect(chatReducer(before, received())).toBe(before);
  });
});

describe("page (REST pages, a join's history)", () => {
  const page = (room: string, messages: Message[], older = false, limit = 3): ChatAction => ({
    type: "page",
    room,
    messages,
    older,
    limit,
  });

  it("a full latest page makes the timeline ready with older messages possible", () => {
    const state = run([
      { type: "timeline:status", room: "general", status: "loading" },
      page("general", [msg(4), msg(5), msg(6)]),
    ]);
    expect(timeline(state, "general")).toEqual({
      messages: [msg(4), msg(5), msg(6)],
      ahead: null,
      status: "ready",
      hasOlder: true,
      loadingOlder: false,
      loadingNewer: false,
      error: null,
      olderError: null,
      newerError: null,
    });
  });

  it("a short latest page means the room's beginning is reached", () => {
    const state = run([page("general", [msg(1), msg(2)])]);
    expect(timeline(state, "general")).toMatchObject({ status: "ready", hasOlder: false });
    expect(run([page("general", [])]).timelines.general).toMatchObject({ status: "ready", hasOlder: false });
  });

  it("merges with live messages already held: no duplicates, in id order", () => {
    const state = run([received(msg(6), msg(8)), page("general", [msg(5), msg(6), msg(7)])]);
    expect(ids(timeline(state, "general").messages)).toEqual([5, 6, 7, 8]);
  });

  it("an older page prepends and says whether anything lies before it", () => {
    const full = run([
      page("general", [msg(7), msg(8), msg(9)]),
      { type: "older:loading", room: "general", loading: true },
      page("general", [msg(4), msg(5), msg(6)], true),
    ]);
    expect(ids(timeline(full, "general").messages)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(timeline(full, "general")).toMatchObject({ hasOlder: true, loadingOlder: false, status: "ready" });

    const last = run(
      [{ type: "older:loading", room: "general", loading: true }, page("general", [msg(2)], true)],
      full,
    );
    expect(ids(timeline(last, "general").messages)).toEqual([2, 4, 5, 6, 7, 8, 9]);
    expect(timeline(last, "general")).toMatchObject({ hasOlder: false, loadingOlder: false });
  });

  it("an older page clears the older error; a latest page keeps it and keeps loadingOlder", () => {
    const failed = run([
      page("general", [msg(7), msg(8), msg(9)]),
      { type: "older:loading", room: "general", loading: false, error: "offline" },
    ]);
    expect(timeline(failed, "general").olderError).toBe("offline");
    expect(timeline(chatReducer(failed, page("general", [msg(6)], true)), "general").olderError).toBeNull();

    const loading = run([{ type: "older:loading", room: "general", loading: true }], failed);
    const latest = chatReducer(loading, page("general", [msg(9), msg(10)]));
    expect(timeline(latest, "general")).toMatchObject({ loadingOlder: true, olderError: null });
    const latestAfterFailure = chatReducer(failed, page("general", [msg(9), msg(10)]));
    expect(timeline(latestAfterFailure, "general").olderError).toBe("offline");
  });

  it("a latest page into a ready timeline keeps hasOlder (the held messages may reach further back)", () => {
    const ready = run([page("general", [msg(4), msg(5), msg(6)]), page("general", [msg(1)], true)]);
    expect(timeline(ready, "general").hasOlder).toBe(false);
    // a join's short history into a ready timeline: still nothing older
    expect(timeline(chatReducer(ready, page("general", [msg(6), msg(7)])), "general").hasOlder).toBe(false);
    const more = run([page("general", [msg(4), msg(5), msg(6)])]);
    expect(timeline(chatReducer(more, page("general", [msg(7)])), "general").hasOlder).toBe(true);
  });

  it("a reload (stale then a latest page) recomputes hasOlder from the page", () => {
    const ready = run([page("general", [msg(4), msg(5), msg(6)]), page("general", [msg(1)], true)]);
    const reloaded = run([{ type: "timelines:stale" }, page("general", [msg(5), msg(6), msg(7)])], ready);
    expect(timeline(reloaded, "general")).toMatchObject({ status: "ready", hasOlder: true });
    expect(ids(timeline(reloaded, "general").messages)).toEqual([1, 4, 5, 6, 7]);
  });

  it("clears a previous load error", () => {
    const state = run([
      { type: "timeline:status", room: "general", status: "error", error: "500" },
      page("general", [msg(1)]),
    ]);
    expect(timeline(state, "general")).toMatchObject({ status: "ready", error: null });
  });

  it("settles outbox entries whose message is in the page", () => {
    const state = run([
      { type: "outbox:add", item: item("a") },
      { type: "outbox:add", item: item("b") },
      page("general", [msg(1, "general", ME, { clientId: "b" })]),
    ]);
    expect(state.outbox.map((o) => o.clientId)).toEqual(["a"]);
  });

  it("does not touch room summaries", () => {
    const before = withRooms(summary("general", { unread: 1, lastMessageId: 2 }));
    const after = chatReducer(before, page("general", [msg(5, "general", "bob")]));
    expect(after.rooms).toBe(before.rooms);
  });
});

describe("around and newer: a jump far back, and back to the live end", () => {
  const LIMIT = 3;
  const latest = (...ms: Message[]): ChatAction => ({
    type: "page",
    room: "general",
    messages: ms,
    older: false,
    limit: LIMIT,
  });
  const around = (target: number, ...ms: Message[]): ChatAction => ({
    type: "around",
    room: "general",
    messages: ms,
    target,
  });
  const newer = (...ms: Message[]): ChatAction => ({ type: "newer", room: "general", messages: ms, limit: LIMIT });
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => msg(from + i));
  /** general's latest page is 101–103; the reader jumps to 11 */
  const jumped = () => run([latest(...range(101, 103)), around(11, ...range(10, 12))], withRooms(summary("general")));

  it("a page far before the held one becomes the window; what was held waits ahead", () => {
    const t = timeline(jumped(), "general");
    expect(ids(t.messages)).toEqual([10, 11, 12]);
    expect(ids(t.ahead ?? [])).toEqual([101, 102, 103]);
    expect(t).toMatchObject({ status: "ready", hasOlder: true, loadingNewer: false });
  });

  it("live messages while off the live end are held ahead, not shown after the gap, and still count unread", () => {
    const state = run([received(msg(104))], jumped());
    const t = timeline(state, "general");
    expect(ids(t.messages)).toEqual([10, 11, 12]);
    expect(ids(t.ahead ?? [])).toEqual([101, 102, 103, 104]);
    expect(unread(state, "general")).toBe(1);
    expect(room(state, "general").lastMessageId).toBe(104);
    // a re-delivery of a message held ahead is not news
    expect(unread(run([received(msg(104))], state), "general")).toBe(1);
  });

  it("full pages forward extend the window; a short one reaches the live end and joins what came live", () => {
    const full = run([{ type: "newer:loading", room: "general", loading: true }, newer(...range(13, 15))], jumped());
    expect(ids(timeline(full, "general").messages)).toEqual([10, 11, 12, 13, 14, 15]);
    expect(timeline(full, "general")).toMatchObject({ loadingNewer: false, ahead: [msg(101), msg(102), msg(103)] });
    const end = run([received(msg(104)), newer(msg(16))], full);
    expect(ids(timeline(end, "general").messages)).toEqual([...ids(range(10, 16)), 101, 102, 103, 104]);
    expect(timeline(end, "general").ahead).toBeNull();
  });

  it("a page forward that meets the messages held ahead joins them", () => {
    const state = run([around(99, ...range(98, 100)), newer(...range(101, 103))], jumped());
    const t = timeline(state, "general");
    expect(ids(t.messages)).toEqual(ids(range(98, 103)));
    expect(t.ahead).toBeNull();
  });

  it("a page around a message next to the held ones merges, staying at the live end", () => {
    const state = run([latest(...range(101, 103)), around(100, ...range(99, 101))]);
    const t = timeline(state, "general");
    expect(ids(t.messages)).toEqual([99, 100, 101, 102, 103]);
    expect(t.ahead).toBeNull();
    expect(t.hasOlder).toBe(true);
  });

  it("a page starting at its target is the room's beginning", () => {
    const state = run([latest(...range(101, 103)), around(1, ...range(1, 2))]);
    expect(timeline(state, "general")).toMatchObject({ hasOlder: false });
    expect(ids(timeline(state, "general").ahead ?? [])).toEqual([101, 102, 103]);
  });

  it("an empty page changes nothing", () => {
    const state = jumped();
    expect(run([around(50)], state)).toBe(state);
  });

  it("the latest page again (back to the live end, a reconnect) replaces the window", () => {
    const state = run([received(msg(105)), latest(...range(102, 104))], jumped());
    const t = timeline(state, "general");
    // what was held ahead (101–103, then 105) is a run to the live end too: it joins the page
    expect(ids(t.messages)).toEqual([101, 102, 103, 104, 105]);
    expect(t.ahead).toBeNull();
    expect(t.hasOlder).toBe(true);
  });

  it("changes reach messages held ahead too", () => {
    const edited = msg(102, "general", "bob", { content: "edited", seq: 500, editedAt: "2024-02-07T11:00:00.000Z" });
    const state = run(
      [{ type: "updated", messages: [edited, msg(11, "general", "bob", { seq: 501, deleted: true, content: "" })] }],
      jumped(),
    );
    const t = timeline(state, "general");
    expect(t.ahead?.[1]).toEqual(edited);
    expect(t.messages[1]).toMatchObject({ id: 11, deleted: true });
  });

  it("newer:loading records a failure to show", () => {
    const state = run([{ type: "newer:loading", room: "general", loading: false, error: "offline" }], jumped());
    expect(timeline(state, "general")).toMatchObject({ loadingNewer: false, newerError: "offline" });
  });

  it("whatever the order of jumps, pages forward and live messages: the window is a run without gaps, ahead reaches the live end", () => {
    type Step = { kind: "live" } | { kind: "around"; at: number } | { kind: "newer" } | { kind: "latest" };
    const step = fc.oneof(
      fc.constant<Step>({ kind: "live" }),
      fc.integer({ min: 1, max: 40 }).map<Step>((at) => ({ kind: "around", at })),
      fc.constant<Step>({ kind: "newer" }),
      fc.constant<Step>({ kind: "latest" }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.array(step, { maxLength: 30 }), (start, steps) => {
        let newest = start; // the room holds messages 1..newest
        let state = run([latest(...range(Math.max(1, newest - LIMIT + 1), newest))]);
        for (const s of steps) {
          const t = timeline(state, "general");
          const last = t.messages.at(-1)?.id ?? 0;
          if (s.kind === "live") state = run([received(msg(++newest))], state);
          else if (s.kind === "latest") state = run([latest(...range(Math.max(1, newest - LIMIT + 1), newest))], state);
          else if (s.kind === "newer" && t.ahead)
            state = run([newer(...range(last + 1, Math.min(newest, last + LIMIT)))], state);
          else if (s.kind === "around" && s.at <= newest)
            state = run([around(s.at, ...range(Math.max(1, s.at - 1), Math.min(newest, s.at + 1)))], state);
          const after = timeline(state, "general");
          const shown = ids(after.messages);
          expect(shown).toEqual(ids(range(shown[0] ?? 1, shown.at(-1) ?? 0)));
          if (after.ahead === null) expect(shown.at(-1)).toBe(newest);
          else if (after.ahead.length > 0) {
            expect(ids(after.ahead)).toEqual(ids(range(after.ahead[0]?.id ?? 1, newest)));
            expect(after.ahead[0]?.id ?? 0).toBeGreaterThan(shown.at(-1) ?? 0);
          }
        }
      }),
    );
  });
});

describe("timeline:status, older:loading, timelines:stale", () => {
  it("timeline:status sets status and error (null unless given), keeping messages", () => {
    const state = run([
      received(msg(1)),
      { type: "timeline:status", room: "general", status: "error", error: "500 Internal" },
    ]);
    expect(timeline(state, "general")).toMatchObject({ status: "error", error: "500 Internal" });
    expect(ids(timeline(state, "general").messages)).toEqual([1]);
    const again = chatReducer(state, { type: "timeline:status", room: "general", status: "loading" });
    expect(timeline(again, "general")).toMatchObject({ status: "loading", error: null });
  });

  it("timeline:status creates the timeline of a room not yet held", () => {
    const state = run([{ type: "timeline:status", room: DM_BOB, status: "missing" }]);
    expect(state.timelines[DM_BOB]).toEqual(emptyTimeline("missing"));
  });

  it("older:loading sets loadingOlder and olderError (cleared unless given)", () => {
    const loading = run([received(msg(3)), { type: "older:loading", room: "general", loading: true }]);
    expect(timeline(loading, "general")).toMatchObject({ loadingOlder: true, olderError: null });
    const failed = chatReducer(loading, { type: "older:loading", room: "general", loading: false, error: "x" });
    expect(timeline(failed, "general")).toMatchObject({ loadingOlder: false, olderError: "x" });
    const retry = chatReducer(failed, { type: "older:loading", room: "general", loading: true });
    expect(timeline(retry, "general")).toMatchObject({ loadingOlder: true, olderError: null });
    expect(ids(timeline(retry, "general").messages)).toEqual([3]);
  });

  it("timelines:stale makes every ready timeline idle (to reload), keeping messages; others untouched", () => {
    const statuses: TimelineStatus[] = ["idle", "loading", "ready", "forbidden", "missing", "error"];
    let state = initialChatState(ME);
    for (const status of statuses) {
      state = run([received(msg(1, status)), { type: "timeline:status", room: status, status }], state);
    }
    const stale = chatReducer(state, { type: "timelines:stale" });
    for (const status of statuses) {
      expect(timeline(stale, status).status).toBe(status === "ready" ? "idle" : status);
      expect(ids(timeline(stale, status).messages)).toEqual([1]);
    }
  });
});

describe("users and presence", () => {
  const people = [user("alice", true), user("bob", false, "2024-01-01T00:00:00.000Z"), user("carol")];

  it("users replaces the list and marks it loaded", () => {
    const state = run([
      { type: "users", users: [user("old")] },
      { type: "users", users: people },
    ]);
    expect(state.users).toEqual(people);
    expect(state.usersLoaded).toBe(true);
  });

  it("going offline records lastSeen; coming online clears it; others untouched", () => {
    const at = "2024-02-07T10:30:00.000Z";
    const off = run([
      { type: "users", users: people },
      { type: "presence", username: "alice", online: false, at },
    ]);
    expect(off.users).toEqual([user("alice", false, at), people[1], people[2]]);
    const on = chatReducer(off, { type: "presence", username: "bob", online: true, at });
    expect(on.users).toEqual([user("alice", false, at), user("bob", true, null), people[2]]);
  });

  it("user:updated changes that user's profile (any case of the name), keeping presence; an unknown one is added", () => {
    const profile = { username: "BOB", displayName: "Bob B.", avatarUrl: "/api/avatars/ab", status: "away" };
    const state = run([
      { type: "users", users: people },
      { type: "user:updated", profile },
    ]);
    expect(state.users[1]).toEqual({ ...people[1], ...profile });
    expect(state.users[0]).toBe(people[0]);
    const cleared = chatReducer(state, {
      type: "user:updated",
      profile: { ...profile, displayName: null, avatarUrl: null },
    });
    expect(cleared.users[1]).toMatchObject({ displayName: null, avatarUrl: null, online: false });
    const added = chatReducer(state, { type: "user:updated", profile: { ...profile, username: "erin" } });
    expect(added.users.at(-1)).toEqual({ ...profile, username: "erin", online: false, lastSeen: null });
  });

  it("a user not in the list yet (registered since) is added", () => {
    const state = run([
      { type: "users", users: people },
      { type: "presence", username: "dave", online: true, at: "2024-02-07T10:30:00.000Z" },
    ]);
    expect(state.users).toEqual([...people, user("dave", true, null)]);
  });

  it("a user not in the list going offline is added with when they were last seen", () => {
    const at = "2024-02-07T10:30:00.000Z";
    const state = run([{ type: "presence", username: "dave", online: false, at }]);
    // lastSeen null means "never connected" (UserSummary); dave was just connected
    expect(state.users).toEqual([user("dave", false, at)]);
  });
});

describe("typing", () => {
  it("shows who is typing per room until the given time, a newer event extending it", () => {
    const state = run([
      { type: "typing", room: "general", username: "bob", until: 1000 },
      { type: "typing", room: "general", username: "carol", until: 1500 },
      { type: "typing", room: DM_BOB, username: "bob", until: 1200 },
      { type: "typing", room: "general", username: "bob", until: 2000 },
    ]);
    expect(state.typing).toEqual({ general: { bob: 2000, carol: 1500 }, [DM_BOB]: { bob: 1200 } });
  });

  it("expires only with the matching until: a stale timer leaves an extended indicator alone", () => {
    const typed = run([
      { type: "typing", room: "general", username: "bob", until: 1000 },
      { type: "typing", room: "general", username: "bob", until: 2000 },
    ]);
    const stale = chatReducer(typed, { type: "typing:expire", room: "general", username: "bob", until: 1000 });
    expect(stale).toBe(typed);
    const expired = chatReducer(stale, { type: "typing:expire", room: "general", username: "bob", until: 2000 });
    expect(expired.typing.general?.bob).toBeUndefined();
  });

  it("expiring one user leaves the others; expiring someone not typing changes nothing", () => {
    const typed = run([
      { type: "typing", room: "general", username: "bob", until: 1000 },
      { type: "typing", room: "general", username: "carol", until: 1000 },
    ]);
    const after = chatReducer(typed, { type: "typing:expire", room: "general", username: "bob", until: 1000 });
    expect(after.typing).toEqual({ general: { carol: 1000 } });
    expect(chatReducer(after, { type: "typing:expire", room: "general", username: "bob", until: 1000 })).toBe(after);
    expect(chatReducer(after, { type: "typing:expire", room: "random", username: "carol", until: 1000 })).toBe(after);
  });

  it("property: an indicator is shown exactly when its latest until has not been expired", () => {
    const who = fc.constantFrom("bob", "carol");
    const where = fc.constantFrom("general", "random");
    const until = fc.integer({ min: 1, max: 4 });
    const step = fc.oneof(
      fc.record({ type: fc.constant("typing" as const), room: where, username: who, until }),
      fc.record({ type: fc.constant("typing:expire" as const), room: where, username: who, until }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const state = run(steps);
        const model = new Map<string, number>();
        for (const s of steps) {
          const k = `${s.room}/${s.username}`;
          if (s.type === "typing") model.set(k, s.until);
          else if (model.get(k) === s.until) model.delete(k);
        }
        for (const r of ["general", "random"]) {
          for (const u of ["bob", "carol"]) {
            expect(state.typing[r]?.[u]).toBe(model.get(`${r}/${u}`));
          }
        }
      }),
    );
  });
});

describe("view", () => {
  const state = () =>
    withRooms(
      summary("general", { unread: 3, lastMessageId: 10 }),
      summary("random", { unread: 2, lastMessageId: 10 }),
    );

  it("viewing a room clears its unread count only", () => {
    const viewed = chatReducer(state(), { type: "view", room: "random" });
    expect(viewed.viewing).toBe("random");
    expect(unread(viewed, "random")).toBe(0);
    expect(unread(viewed, "general")).toBe(3);
  });

  it("what arrives in the viewed room is read; elsewhere it counts", () => {
    const viewed = run(
      [{ type: "view", room: "random" }, received(msg(11, "random", "bob"), msg(12, "general", "carol"))],
      state(),
    );
    expect(room(viewed, "random")).toMatchObject({ unread: 0, lastMessageId: 11 });
    expect(room(viewed, "general")).toMatchObject({ unread: 4, lastMessageId: 12 });
  });

  it("after leaving the view (null), messages count again and existing counts stay", () => {
    const after = run(
      [{ type: "view", room: "random" }, { type: "view", room: null }, received(msg(11, "random", "bob"))],
      state(),
    );
    expect(after.viewing).toBeNull();
    expect(unread(after, "random")).toBe(1);
    expect(unread(after, "general")).toBe(3);
  });

  it("viewing the room already viewed returns the same state", () => {
    const viewed = chatReducer(state(), { type: "view", room: "random" });
    expect(chatReducer(viewed, { type: "view", room: "random" })).toBe(viewed);
  });

  it("viewing a room not in the list (a DM not started) is remembered, and its first message is read", () => {
    const viewed = run(
      [
        { type: "view", room: DM_BOB },
        received(msg(11, DM_BOB, "bob")),
        { type: "room:joined", room: summary(DM_BOB) },
      ],
      state(),
    );
    expect(viewed.viewing).toBe(DM_BOB);
    expect(room(viewed, DM_BOB)).toMatchObject({ unread: 0, lastMessageId: 11 });
  });
});

describe("outbox", () => {
  it("add appends, update patches only the matching entry, remove drops it", () => {
    const added = run([
      { type: "outbox:add", item: item("a") },
      { type: "outbox:add", item: item("b", DM_BOB, { address: { to: "bob" } }) },
    ]);
    expect(added.outbox).toEqual([item("a"), item("b", DM_BOB, { address: { to: "bob" } })]);

    const failed = chatReducer(added, {
      type: "outbox:update",
      clientId: "a",
      patch: { state: "failed", error: "rate limited" },
    });
    expect(failed.outbox).toEqual([
      item("a", "general", { state: "failed", error: "rate limited" }),
      item("b", DM_BOB, { address: { to: "bob" } }),
    ]);

    const retried = chatReducer(failed, {
      type: "outbox:update",
      clientId: "a",
      patch: { state: "sending", error: undefined },
    });
    expect(retried.outbox[0]).toMatchObject({ state: "sending", error: undefined });

    const removed = chatReducer(retried, { type: "outbox:remove", clientId: "a" });
    expect(removed.outbox.map((o) => o.clientId)).toEqual(["b"]);
  });

  it("a failed entry keeps its error through others' messages, pages and unrelated acks", () => {
    const failed = item("a", "general", { state: "failed", error: "message is empty" });
    const state = run([
      { type: "outbox:add", item: failed },
      received(msg(1, "general", "bob")),
      received(msg(2, "general", ME, { clientId: "zzz" })),
      { type: "page", room: "general", messages: [msg(1), msg(2)], older: false, limit: 50 },
    ]);
    expect(state.outbox).toEqual([failed]);
  });

  it("update or remove of an unknown clientId changes no entry", () => {
    const added = run([{ type: "outbox:add", item: item("a") }]);
    expect(chatReducer(added, { type: "outbox:update", clientId: "x", patch: { state: "failed" } }).outbox).toEqual(
      added.outbox,
    );
    expect(chatReducer(added, { type: "outbox:remove", clientId: "x" }).outbox).toEqual(added.outbox);
  });
});

// ---- properties over many actions ---------------------------------------------------------------------------

const ROOMS = ["general", "random", DM_BOB] as const;
const PEOPLE = [ME, "bob", "carol"] as const;

/** Distinct messages (unique ids) spread over the rooms, from any of the people. */
const distinctMessages = fc
  .uniqueArray(
    fc.record({
      id: fc.integer({ min: 1, max: 120 }),
      room: fc.constantFrom(...ROOMS),
      username: fc.constantFrom(...PEOPLE),
    }),
    { selector: (m) => m.id, maxLength: 40 },
  )
  .map((ms) => ms.map((m) => msg(m.id, m.room, m.username, m.username === ME ? { clientId: `c${m.id}` } : {})));

/**
 * Those messages delivered in any order and grouping, each at least once and some several times: a
 * permutation cut into batches, plus extra re-deliveries (any subset, any order) slipped in anywhere.
 */
const deliveries = distinctMessages.chain((all) =>
  fc
    .tuple(
      fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }),
      fc.array(fc.nat({ max: Math.max(all.length, 1) }), { maxLength: 10 }),
      fc.array(fc.tuple(fc.shuffledSubarray(all), fc.nat()), { maxLength: 6 }),
    )
    .map(([perm, cuts, extras]) => {
      const bounds = [0, ...[...cuts].sort((a, b) => a - b), perm.length];
      const batches: Message[][] = [];
      for (let i = 1; i < bounds.length; i++) batches.push(perm.slice(bounds[i - 1], bounds[i]));
      for (const [extra, pos] of extras) batches.splice(pos % (batches.length + 1), 0, extra);
      return { all, batches };
    }),
);

/** Others' messages (in order of first delivery) delivered in commit order, with repeats of earlier ones. */
const inOrderDeliveries = distinctMessages.chain((all) => {
  const sorted = [...all].sort((a, b) => a.id - b.id);
  return fc
    .tuple(
      fc.array(fc.nat({ max: Math.max(sorted.length, 1) }), { maxLength: 10 }),
      fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 6 }),
    )
    .map(([cuts, repeats]) => {
      const bounds = [0, ...[...cuts].sort((a, b) => a - b), sorted.length];
      const batches: Message[][] = [];
      for (let i = 1; i < bounds.length; i++) batches.push(sorted.slice(bounds[i - 1], bounds[i]));
      // a repeat after batch k re-delivers a window of what was already delivered (history overlapping live)
      for (const [after, from] of repeats) {
        const k = after % (batches.length + 1);
        const seen = batches.slice(0, k).flat();
        const start = seen.length === 0 ? 0 : from % seen.length;
        batches.splice(k, 0, seen.slice(start));
      }
      return { all, batches };
    });
});

/** What the unread count must be: the server's, plus others' messages it had not counted yet. */
const expectedUnread = (all: readonly Message[], key: string, base: RoomSummary) =>
  base.unread + all.filter((m) => roomKey(m.room) === key && m.id > base.lastMessageId && m.username !== ME).length;

const BASES = [
  summary("general", { unread: 2, lastMessageId: 30, lastReadId: 25 }),
  summary("random", { unread: 0, lastMessageId: 0 }),
  summary(DM_BOB, { unread: 1, lastMessageId: 60, lastReadId: 50 }),
];

describe("properties", () => {
  it("any interleaving and duplication of received batches gives one merge of the distinct messages", () => {
    fc.assert(
      fc.property(deliveries, ({ all, batches }) => {
        const state = run(batches.map((b) => received(...b)));
        for (const key of ROOMS) {
          const expected = mergeMessages(
            [],
            all.filter((m) => roomKey(m.room) === key),
          );
          const held = state.timelines[key]?.messages ?? [];
          expect(held).toEqual(expected);
          // strictly ascending: no duplicates, in id order
          expect(ids(held).every((id, i, xs) => i === 0 || id > (xs[i - 1] ?? Infinity))).toBe(true);
        }
      }),
    );
  });

  it("any interleaving settles exactly the outbox entries whose message arrived", () => {
    fc.assert(
      fc.property(deliveries, fc.uniqueArray(fc.integer({ min: 1, max: 120 })), ({ all, batches }, pending) => {
        const adds = pending.map((id): ChatAction => ({ type: "outbox:add", item: item(`c${id}`) }));
        const state = run([...adds, ...batches.map((b) => received(...b))]);
        const confirmed = new Set(all.map((m) => m.clientId).filter(Boolean));
        expect(state.outbox.map((o) => o.clientId)).toEqual(
          pending.map((id) => `c${id}`).filter((c) => !confirmed.has(c)),
        );
      }),
    );
  });

  it("in commit order, with re-deliveries, unread is the server's count plus others' new messages", () => {
    fc.assert(
      fc.property(inOrderDeliveries, ({ all, batches }) => {
        const state = run(
          batches.map((b) => received(...b)),
          withRooms(...BASES),
        );
        for (const base of BASES) {
          const key = roomKey(base.name);
          expect(unread(state, key)).toBe(expectedUnread(all, key, base));
        }
      }),
    );
  });

  it("in any order, with re-deliveries, unread is the server's count plus others' new messages", () => {
    fc.assert(
      fc.property(deliveries, ({ all, batches }) => {
        const state = run(
          batches.map((b) => received(...b)),
          withRooms(...BASES),
        );
        for (const base of BASES) {
          const key = roomKey(base.name);
          expect(unread(state, key)).toBe(expectedUnread(all, key, base));
        }
      }),
    );
  });

  it("messages arriving before the rooms reply are counted as if the reply had come first", () => {
    // commit order, the reply at any point: the count is the same
    fc.assert(
      fc.property(inOrderDeliveries, fc.nat(), ({ all, batches }, at) => {
        const reply: ChatAction = { type: "rooms", rooms: BASES };
        const actions = batches.map((b) => received(...b));
        actions.splice(at % (actions.length + 1), 0, reply);
        const state = run(actions);
        for (const base of BASES) {
          const key = roomKey(base.name);
          // messages at or below the reply's lastMessageId are in its count, whenever they arrived
          expect(unread(state, key)).toBe(expectedUnread(all, key, base));
        }
      }),
    );
  });

  // random actions of every kind, for the invariants that must survive anything
  const anyMessage = fc
    .record({
      id: fc.integer({ min: 1, max: 40 }),
      room: fc.constantFrom(...ROOMS, "Random"),
      username: fc.constantFrom(...PEOPLE),
      clientId: fc.option(fc.constantFrom("a", "b", "c"), { nil: undefined }),
    })
    .map(({ id, room: r, username, clientId }) => msg(id, r, username, clientId === undefined ? {} : { clientId }));
  const anyRoom = fc
    .record({
      name: fc.constantFrom("general", "random", "Dev", DM_BOB, DM_ZED),
      unread: fc.nat({ max: 9 }),
      lastMessageId: fc.nat({ max: 40 }),
      lastReadId: fc.nat({ max: 40 }),
    })
    .map(({ name, ...rest }) => summary(name, rest));
  const key = fc.constantFrom("general", "random", "dev", DM_BOB, DM_ZED);
  const status = fc.constantFrom<TimelineStatus>("idle", "loading", "ready", "forbidden", "missing", "error");
  const anyAction: fc.Arbitrary<ChatAction> = fc.oneof(
    fc.constantFrom<ChatAction>(
      { type: "connection", state: "live" },
      { type: "connection", state: "reconnecting" },
      { type: "error", error: "boom" },
      { type: "error", error: null },
      { type: "timelines:stale" },
      { type: "view", room: null },
    ),
    fc
      .uniqueArray(anyRoom, { selector: (r) => roomKey(r.name), maxLength: 5 })
      .map((rooms): ChatAction => ({ type: "rooms", rooms })),
    anyRoom.map((r): ChatAction => ({ type: "room:joined", room: r })),
    fc.constantFrom("random", "Dev", DM_ZED).map((r): ChatAction => ({ type: "room:left", room: r })),
    fc
      .tuple(key, fc.nat({ max: 40 }), fc.nat({ max: 9 }), fc.nat({ max: 40 }))
      .map(([r, lastReadId, n, counted]): ChatAction => ({
        type: "room:read",
        room: r,
        lastReadId,
        unread: n,
        mentions: 0,
        countedThrough: Math.max(lastReadId, counted),
      })),
    fc.array(anyMessage, { maxLength: 6 }).map((messages): ChatAction => ({ type: "received", messages })),
    fc
      .tuple(key, fc.array(anyMessage, { maxLength: 6 }), fc.boolean(), fc.integer({ min: 1, max: 5 }))
      .map(([r, messages, older, limit]): ChatAction => ({ type: "page", room: r, messages, older, limit })),
    fc.tuple(key, status).map(([r, s]): ChatAction => ({ type: "timeline:status", room: r, status: s })),
    fc.tuple(key, fc.boolean()).map(([r, loading]): ChatAction => ({ type: "older:loading", room: r, loading })),
    fc.constantFrom(...PEOPLE).map((u): ChatAction => ({ type: "users", users: [user(u)] })),
    fc
      .tuple(fc.constantFrom("bob", "carol", "dave"), fc.boolean())
      .map(([u, online]): ChatAction => ({ type: "presence", username: u, online, at: "2024-01-01T00:00:00.000Z" })),
    fc
      .tuple(key, fc.constantFrom("bob", "carol"), fc.integer({ min: 1, max: 3 }), fc.boolean())
      .map(([r, u, until, expire]): ChatAction => ({
        type: expire ? "typing:expire" : "typing",
        room: r,
        username: u,
        until,
      })),
    key.map((r): ChatAction => ({ type: "view", room: r })),
    fc
      .tuple(fc.constantFrom("a", "b", "c"), key)
      .map(([c, r]): ChatAction => ({ type: "outbox:add", item: item(c, r) })),
    fc
      .constantFrom("a", "b", "c")
      .map((c): ChatAction => ({ type: "outbox:update", clientId: c, patch: { state: "failed", error: "no" } })),
    fc.constantFrom("a", "b", "c").map((c): ChatAction => ({ type: "outbox:remove", clientId: c })),
  );

  it("unread is never negative and the room on screen never has unread messages", () => {
    fc.assert(
      fc.property(fc.array(anyAction, { maxLength: 40 }), (actions) => {
        let state = initialChatState(ME);
        for (const action of actions) {
          state = chatReducer(state, action);
          for (const r of state.rooms) {
            expect(r.unread).toBeGreaterThanOrEqual(0);
            if (roomKey(r.name) === state.viewing) expect(r.unread).toBe(0);
          }
        }
      }),
    );
  });

  it("rooms stay in the documented order with one entry per key, and timelines stay sorted and unique", () => {
    fc.assert(
      fc.property(fc.array(anyAction, { maxLength: 40 }), (actions) => {
        const state = run(actions);
        expect(state.rooms).toEqual(sortRooms(state.rooms));
        const keys = state.rooms.map((r) => roomKey(r.name));
        expect(new Set(keys).size).toBe(keys.length);
        for (const t of Object.values(state.timelines)) {
          const xs = ids(t?.messages ?? []);
          expect(xs).toEqual([...new Set(xs)].sort((a, b) => a - b));
        }
      }),
    );
  });

  it("the reducer never modifies the state or the action it is given", () => {
    fc.assert(
      fc.property(fc.array(anyAction, { maxLength: 30 }), (actions) => {
        let state = deepFreeze(initialChatState(ME));
        for (const action of actions) {
          const before = state;
          const snapshot = structuredClone(before);
          const actionSnapshot = structuredClone(action);
          // frozen: any in-place write would throw here
          state = deepFreeze(chatReducer(before, deepFreeze(action)));
          expect(before).toEqual(snapshot);
          expect(action).toEqual(actionSnapshot);
        }
        expect(state.me).toBe(ME);
      }),
    );
  });
});
