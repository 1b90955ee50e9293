// The client core's cursor: what arrives is sorted into news and changes, each handed over once.
import { describe, expect, it } from "vitest";
import { Cursor } from "@/lib/client/cursor";
import type { Message } from "@/lib/protocol";
import { unchanged } from "../helpers/message-fixture";

const msg = (id: number, seq = id, content = `m${id}`): Message => ({
  ...unchanged(id),
  seq,
  id,
  username: "bob",
  content,
  timestamp: new Date(0).toISOString(),
  room: "general",
});

describe("Cursor", () => {
  it("hands each message over once, news ascending by id, and moves lastMessageId and since", () => {
    const cursor = new Cursor();
    expect(cursor.take([msg(2), msg(1), msg(2)])).toEqual({ fresh: [msg(1), msg(2)], changed: [] });
    expect(cursor.lastMessageId).toBe(2);
    expect(cursor.since).toBe(2);
    expect(cursor.take([msg(1), msg(2)])).toEqual({ fresh: [], changed: [] });
  });

  it("a newer state of a held message is a change; an older or equal one is dropped", () => {
    const cursor = new Cursor();
    cursor.take([msg(1), msg(2)]);
    const edited = msg(1, 5, "edited");
    expect(cursor.take([edited])).toEqual({ fresh: [], changed: [edited] });
    expect(cursor.take([msg(1, 4, "stale")])).toEqual({ fresh: [], changed: [] });
    expect(cursor.since).toBe(5);
    expect(cursor.lastMessageId).toBe(2);
  });

  it("an unseen message older than the newest id is a change (changed while away), not news", () => {
    const cursor = new Cursor();
    cursor.take([msg(10)]);
    const old = msg(3, 11, "reacted while away");
    const news = msg(12, 12);
    expect(cursor.take([news, old])).toEqual({ fresh: [news], changed: [old] });
  });

  it("messages marked seen are not news, and do not move the cursor", () => {
    const cursor = new Cursor();
    cursor.take([msg(1)]);
    cursor.markSeen([msg(7)]);
    expect(cursor.take([msg(7)])).toEqual({ fresh: [], changed: [] });
    expect(cursor.lastMessageId).toBe(1);
  });
});

describe("Cursor, pages asked for", () => {
  it("a loaded page is news wherever its ids fall", () => {
    const cursor = new Cursor();
    cursor.take([msg(10)]);
    expect(cursor.take([msg(3), msg(4)], true)).toEqual({ fresh: [msg(3), msg(4)], changed: [] });
  });
});
