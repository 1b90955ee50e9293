// The pieces of lib/cluster that decide who hears what, without Redis: the event bus's two audiences
// (every event vs. this process's own) and the per-room order in which new messages reach the transports.
import { describe, expect, it } from "vitest";
import { createRoomOrder } from "@/lib/cluster/room-order";
import type { Message } from "@/lib/protocol";
import { ChatEvents } from "@/lib/services/events";
import { unchanged } from "../helpers/message-fixture";

/** when the process under test started; messages are stored after it unless told otherwise */
const STARTED_AT = Date.parse("2026-12-06T12:00:00Z");
const message = (id: number, room = "general", at = STARTED_AT + 1000): Message => ({
  id,
  username: "alice",
  content: `m${id}`,
  timestamp: new Date(at).toISOString(),
  room,
  ...unchanged(id),
});

describe("ChatEvents", () => {
  it("hands this process's events to every listener, and relayed ones only to `on` listeners", () => {
    const events = new ChatEvents();
    const all: number[] = [];
    const own: number[] = [];
    events.on("session:revoked", (id) => all.push(id));
    events.originated.on("session:revoked", (id) => own.push(id));
    events.emit("session:revoked", 1);
    events.relayed("session:revoked", 2);
    expect(all).toEqual([1, 2]);
    expect(own).toEqual([1]);
    events.removeAllListeners();
    events.emit("session:revoked", 3);
    expect([all, own]).toEqual([[1, 2], [1]]);
  });

  it("sends new messages, from here or relayed, through the order when one is set", () => {
    const events = new ChatEvents();
    const ordered: number[] = [];
    const delivered: number[] = [];
    events.on("message:created", (m) => delivered.push(m.id));
    events.orderMessages((deliver) => (m) => {
      ordered.push(m.id);
      deliver(m);
    });
    events.emit("message:created", message(1));
    events.relayed("message:created", message(2));
    events.emit("message:updated", message(1)); // not ordered: changes carry their seq
    expect(ordered).toEqual([1, 2]);
    expect(delivered).toEqual([1, 2]);
  });
});

describe("createRoomOrder", () => {
  /** a room whose stored messages are `stored`; what went out, in order; the id checks and the page reads */
  function setup(stored: Message[]) {
    const out: number[] = [];
    const checks: [string, number, number][] = [];
    const reads: [string, number][] = [];
    const order = createRoomOrder({
      messagesAfter: (room, afterId, limit) => {
        reads.push([room, afterId]);
        return Promise.resolve(stored.filter((m) => m.room === room && m.id > afterId).slice(0, limit));
      },
      messageIdsBetween: (room, afterId, upToId, limit) => {
        checks.push([room, afterId, upToId]);
        const ids = stored.filter((m) => m.room === room && m.id > afterId && m.id <= upToId).map((m) => m.id);
        return Promise.resolve(ids.slice(0, limit));
      },
      messagesBefore: (room, beforeId, limit) =>
        Promise.resolve(stored.filter((m) => m.room === room && m.id < beforeId).slice(-limit)),
      startedAt: STARTED_AT,
      deliver: (m) => out.push(m.id),
      onError: (err) => {
        throw err;
      },
    });
    const settle = () => new Promise((r) => setTimeout(r, 0));
    return { out, checks, reads, order, settle };
  }

  it("sends what the room stored in between first, and drops it when its own event comes late", async () => {
    const stored = [101, 104, 105, 106].map((id) => message(id));
    const { out, checks, reads, order, settle } = setup(stored);
    order(message(101)); // the first message this process hears in the room: nothing to compare with
    await settle();
    order(message(105)); // 104 was stored elsewhere and its event is still on its way
    await settle();
    expect(out).toEqual([101, 104, 105]);
    order(message(104)); // late: it went out already
    order(message(106));
    await settle();
    expect(out).toEqual([101, 104, 105, 106]);
    expect(checks).toEqual([
      ["general", 0, 101], // the room's first: nothing before it
      ["general", 101, 105],
      ["general", 105, 106],
    ]);
    // whole rows only where an id was missing (104)
    expect(reads).toEqual([["general", 101]]);
  });

  it("reads once more for all the messages heard while a read was under way", async () => {
    const stored = [1, 2, 3, 4, 5].map((id) => message(id));
    const { out, checks, reads, order, settle } = setup(stored);
    order(message(1));
    await settle();
    for (const id of [3, 5, 2, 4]) order(message(id));
    await settle();
    expect(out).toEqual([1, 2, 3, 4, 5]);
    expect(checks).toEqual([
      ["general", 0, 1], // the room's first
      ["general", 1, 3], // for 3: 2 is missing
      ["general", 3, 5], // for 5, 2 and 4, heard meanwhile (2 went out with 3)
    ]);
    expect(reads).toEqual([["general", 1]]);
  });

  it("starts a room with what it stored since the process started, not before", async () => {
    const longAgo = STARTED_AT - 60_000;
    const stored = [message(1, "general", longAgo), message(2), message(3)];
    const { out, reads, order, settle } = setup(stored);
    order(stored[2]!); // 2 was stored after the start, and its event is still on its way
    await settle();
    order(stored[1]!);
    await settle();
    expect(out).toEqual([2, 3]); // 1 is in every client's history here already
    expect(reads).toEqual([["general", 1]]);
  });

  it("keeps rooms apart and each in id order", async () => {
    const stored = [message(1, "a"), message(2, "b"), message(3, "a"), message(4, "b")];
    const { out, order, settle } = setup(stored);
    for (const id of [1, 2, 4, 3]) order(stored[id - 1]!);
    await settle();
    expect(out.filter((id) => id % 2 === 1)).toEqual([1, 3]);
    expect(out.filter((id) => id % 2 === 0)).toEqual([2, 4]);
  });
});
