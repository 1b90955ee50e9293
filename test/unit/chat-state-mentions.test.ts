// Mention counts in the web state (the sidebar's @ badge, the tab title): the server's count from summaries
// and read markers, plus what arrives live — mentions of me in rooms, every message of others in a DM.
import { describe, expect, it } from "vitest";
import { dmRoomName, type Message, type RoomSummary } from "@/lib/protocol";
import { chatReducer, findRoom, initialChatState, type ChatAction, type ChatState } from "@/lib/web/chat-state";
import { unchanged } from "../helpers/message-fixture";

const ME = "me";
const DM_BOB = dmRoomName(ME, "bob");

const msg = (id: number, room: string, username: string, mentions: string[] = []): Message => ({
  ...unchanged(id),
  id,
  username,
  content: `message ${id}`,
  timestamp: new Date(Date.UTC(2024, 1, 7, 10, 30, 0, id)).toISOString(),
  room,
  mentions,
});

const summary = (name: string, extra: Partial<RoomSummary> = {}): RoomSummary => ({
  name,
  kind: name.startsWith("dm:") ? "dm" : "room",
  private: false,
  unread: 0,
  mentions: 0,
  lastMessageId: 0,
  lastReadId: 0,
  ...(name.startsWith("dm:") ? { peer: "bob" } : {}),
  ...extra,
});

const run = (actions: readonly ChatAction[], state: ChatState = initialChatState(ME)): ChatState =>
  actions.reduce(chatReducer, state);

const mentionsOf = (state: ChatState, key: string): number | undefined => findRoom(state, key)?.mentions;

describe("mention counts", () => {
  const rooms: ChatAction = { type: "rooms", rooms: [summary("general", { mentions: 1, unread: 2 }), summary(DM_BOB)] };

  it("takes the server's count and adds live messages that mention me (case-insensitively), not others", () => {
    const state = run([
      rooms,
      { type: "received", messages: [msg(1, "general", "bob", ["ME"]), msg(2, "general", "bob", ["zed"])] },
    ]);
    expect(mentionsOf(state, "general")).toBe(2);
    expect(findRoom(state, "general")?.unread).toBe(4);
  });

  it("counts every message of the other user in a DM, never my own, and a re-delivery once", () => {
    const m = msg(3, DM_BOB, "bob");
    const state = run([
      rooms,
      { type: "received", messages: [m, msg(4, DM_BOB, ME)] },
      { type: "received", messages: [m] },
    ]);
    expect(mentionsOf(state, DM_BOB)).toBe(1);
  });

  it("my own message mentioning me does not count", () => {
    const state = run([rooms, { type: "received", messages: [msg(5, "general", ME, [ME])] }]);
    expect(mentionsOf(state, "general")).toBe(1);
  });

  it("the room on screen has no mentions: viewing clears them and new ones there do not count", () => {
    const state = run([
      rooms,
      { type: "view", room: "general" },
      { type: "received", messages: [msg(6, "general", "bob", [ME])] },
    ]);
    expect(mentionsOf(state, "general")).toBe(0);
    expect(mentionsOf(run([{ type: "view", room: null }], state), "general")).toBe(0);
  });

  it("a read marker sets the server's count plus held mentions beyond what it covered", () => {
    const state = run([
      rooms,
      { type: "received", messages: [msg(7, "general", "bob", [ME]), msg(8, "general", "bob", [ME])] },
      { type: "room:read", room: "general", lastReadId: 7, unread: 0, mentions: 0, countedThrough: 7 },
    ]);
    expect(mentionsOf(state, "general")).toBe(1);
    expect(findRoom(state, "general")?.unread).toBe(1);
  });

  it("a rooms reply adds mentions held live past its lastMessageId", () => {
    const state = run([
      rooms,
      { type: "received", messages: [msg(9, "general", "bob", [ME])] },
      { type: "rooms", rooms: [summary("general", { mentions: 1, unread: 1, lastMessageId: 8 })] },
    ]);
    expect(mentionsOf(state, "general")).toBe(2);
  });
});
