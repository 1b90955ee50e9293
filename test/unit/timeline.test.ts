import { webcrypto } from "node:crypto";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { clientIdSchema, type Message } from "@/lib/protocol";
import { newClientId } from "@/lib/client/client-id";
import { applyChanges, lastId, mergeMessages, settleOutgoing, type Outgoing } from "@/lib/web/timeline";
import { unchanged } from "../helpers/message-fixture";

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The message with a given id: the same id always means the same message, as on the server. */
const msg = (id: number, extra: Partial<Message> = {}): Message => ({
  ...unchanged(id),
  id,
  username: `user${id % 3}`,
  content: `message ${id}`,
  timestamp: new Date(Date.UTC(2024, 1, 7, 10, 30, 0, id)).toISOString(),
  room: "general",
  ...extra,
});

const ids = (ms: readonly Message[]) => ms.map((m) => m.id);
const batch = fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 40 }).map((xs) => xs.map((id) => msg(id)));
/** a timeline the client holds: what merging anything into an empty one gives */
const timeline = batch.map((b) => mergeMessages([], b));
const sortedUnique = (xs: readonly number[]) => [...new Set(xs)].sort((a, b) => a - b);

describe("mergeMessages", () => {
  it("appends live messages that come after everything held", () => {
    expect(ids(mergeMessages([msg(1), msg(2)], [msg(3), msg(4)]))).toEqual([1, 2, 3, 4]);
  });

  it("deduplicates a message seen in both history and live", () => {
    const merged = mergeMessages([msg(1), msg(2), msg(3)], [msg(2), msg(3), msg(4)]);
    expect(ids(merged)).toEqual([1, 2, 3, 4]);
  });

  it("sorts a gap fill that arrives after newer live messages", () => {
    expect(ids(mergeMessages([msg(1), msg(9)], [msg(5), msg(3), msg(7)]))).toEqual([1, 3, 5, 7, 9]);
  });

  it("deduplicates inside one incoming batch", () => {
    expect(ids(mergeMessages([msg(1)], [msg(4), msg(4), msg(2), msg(4)]))).toEqual([1, 2, 4]);
    expect(ids(mergeMessages([], [msg(3), msg(3)]))).toEqual([3]);
  });

  it("an incoming copy replaces the held one (e.g. an edited message)", () => {
    const edited = msg(2, { content: "edited" });
    const merged = mergeMessages([msg(1), msg(2), msg(3)], [edited]);
    expect(merged.find((m) => m.id === 2)?.content).toBe("edited");
    expect(ids(merged)).toEqual([1, 2, 3]);
  });

  it("merging nothing returns what was held, and merging into nothing sorts", () => {
    const held = [msg(1), msg(2)];
    expect(mergeMessages(held, [])).toEqual(held);
    expect(ids(mergeMessages([], [msg(2), msg(1)]))).toEqual([1, 2]);
  });

  it("does not modify its inputs", () => {
    const held = [msg(1), msg(5)];
    const incoming = [msg(3), msg(2)];
    mergeMessages(held, incoming);
    expect(ids(held)).toEqual([1, 5]);
    expect(ids(incoming)).toEqual([3, 2]);
  });

  it("property: the result is the union of ids, strictly ascending", () => {
    fc.assert(
      fc.property(timeline, batch, (held, incoming) => {
        const merged = mergeMessages(held, incoming);
        expect(ids(merged)).toEqual(sortedUnique([...ids(held), ...ids(incoming)]));
      }),
    );
  });

  it("property: idempotent — merging the same batch again changes nothing", () => {
    fc.assert(
      fc.property(timeline, batch, (held, incoming) => {
        const once = mergeMessages(held, incoming);
        expect(mergeMessages(once, incoming)).toEqual(once);
        expect(mergeMessages(once, once)).toEqual(once);
      }),
    );
  });

  it("property: order-insensitive — batches in either order give the same timeline", () => {
    fc.assert(
      fc.property(timeline, batch, batch, (held, a, b) => {
        expect(mergeMessages(mergeMessages(held, b), a)).toEqual(mergeMessages(mergeMessages(held, a), b));
      }),
    );
  });

  it("property: order-insensitive — a shuffled batch merges to the same timeline", () => {
    const batchAndShuffle = batch.chain((b) =>
      fc.tuple(fc.constant(b), fc.shuffledSubarray(b, { minLength: b.length, maxLength: b.length })),
    );
    fc.assert(
      fc.property(timeline, batchAndShuffle, (held, [a, shuffled]) => {
        expect(mergeMessages(held, shuffled)).toEqual(mergeMessages(held, a));
      }),
    );
  });

  it("property: message objects survive intact (no field lost or invented)", () => {
    fc.assert(
      fc.property(timeline, batch, (held, incoming) => {
        for (const m of mergeMessages(held, incoming)) expect(m).toEqual(msg(m.id));
      }),
    );
  });
});

describe("lastId", () => {
  it("is the newest id, or undefined when empty", () => {
    expect(lastId([msg(1), msg(7)])).toBe(7);
    expect(lastId([])).toBeUndefined();
  });
});

describe("settleOutgoing", () => {
  const out = (clientId: string, state: Outgoing["state"] = "sending"): Outgoing => ({
    clientId,
    content: `text of ${clientId}`,
    state,
  });

  it("drops the entries the server confirmed by clientId and keeps the rest in order", () => {
    const pending = [out("a"), out("b", "failed"), out("c")];
    const settled = settleOutgoing(pending, [msg(1, { clientId: "b" }), msg(2, { clientId: "zzz" })]);
    expect(settled.map((o) => o.clientId)).toEqual(["a", "c"]);
  });

  it("drops several at once", () => {
    const pending = [out("a"), out("b"), out("c")];
    const settled = settleOutgoing(pending, [msg(1, { clientId: "c" }), msg(2, { clientId: "a" })]);
    expect(settled).toEqual([out("b")]);
  });

  it("messages without a clientId (other users', older history) confirm nothing", () => {
    const pending = [out("a"), out("b")];
    expect(settleOutgoing(pending, [msg(1), msg(2)])).toEqual(pending);
    expect(settleOutgoing(pending, [])).toEqual(pending);
  });

  it("does not modify its input", () => {
    const pending = [out("a"), out("b")];
    settleOutgoing(pending, [msg(1, { clientId: "a" })]);
    expect(pending.map((o) => o.clientId)).toEqual(["a", "b"]);
  });

  it("property: the result is exactly the unconfirmed entries", () => {
    const cid = fc.constantFrom("a", "b", "c", "d", "e");
    fc.assert(
      fc.property(fc.uniqueArray(cid), fc.array(fc.option(cid, { nil: undefined })), (pending, confirmed) => {
        const messages = confirmed.map((c, i) => msg(i + 1, c === undefined ? {} : { clientId: c }));
        const settled = settleOutgoing(
          pending.map((c) => out(c)),
          messages,
        );
        expect(settled.map((o) => o.clientId)).toEqual(pending.filter((c) => !confirmed.includes(c)));
      }),
    );
  });
});

describe("newClientId", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("gives RFC 4122 version-4 UUIDs that the server's clientId schema accepts", () => {
    for (let i = 0; i < 200; i++) {
      const id = newClientId();
      expect(id).toMatch(V4);
      expect(clientIdSchema.safeParse(id).success).toBe(true);
    }
  });

  it("gives a fresh id every time", () => {
    const seen = new Set(Array.from({ length: 1000 }, () => newClientId()));
    expect(seen.size).toBe(1000);
  });

  describe("without crypto.randomUUID (insecure context)", () => {
    const stubCrypto = (fill?: number) => {
      vi.stubGlobal("crypto", {
        getRandomValues: <T extends ArrayBufferView>(array: T): T => {
          if (fill === undefined) return webcrypto.getRandomValues(array as unknown as Uint8Array) as unknown as T;
          new Uint8Array(array.buffer, array.byteOffset, array.byteLength).fill(fill);
          return array;
        },
      });
    };

    it("still gives valid v4 UUIDs from getRandomValues", () => {
      stubCrypto();
      const seen = new Set<string>();
      for (let i = 0; i < 200; i++) {
        const id = newClientId();
        expect(id).toMatch(V4);
        expect(clientIdSchema.safeParse(id).success).toBe(true);
        seen.add(id);
      }
      expect(seen.size).toBe(200);
    });

    it("sets the version and variant bits whatever the random bytes are", () => {
      stubCrypto(0xff);
      expect(newClientId()).toBe("ffffffff-ffff-4fff-bfff-ffffffffffff");
      stubCrypto(0x00);
      expect(newClientId()).toBe("00000000-0000-4000-8000-000000000000");
    });
  });
});

describe("applyChanges", () => {
  it("replaces held messages by their newer state, keeps newer ones, adds nothing", () => {
    const held = [msg(1), msg(2)];
    const edited = { ...msg(1), seq: 9, content: "edited", editedAt: new Date(1).toISOString() };
    expect(applyChanges(held, [edited, { ...msg(5), seq: 10 }])).toEqual([edited, msg(2)]);
    expect(applyChanges([edited, msg(2)], [msg(1)])).toEqual([edited, msg(2)]);
  });

  it("a reply's quote follows its parent's edit and deletion", () => {
    const reply = { ...msg(3), replyTo: { id: 1, username: "bob", content: "m1" } };
    const parentEdited = { ...msg(1), seq: 8, content: "x".repeat(200) };
    const [, quoted] = applyChanges([msg(1), reply], [parentEdited]);
    expect(quoted?.replyTo?.content).toBe("x".repeat(140));
    const [, gone] = applyChanges([msg(1), reply], [{ ...msg(1), seq: 9, content: "", deleted: true }]);
    expect(gone?.replyTo?.content).toBe("");
  });

  it("mergeMessages never lets an older copy undo a newer state", () => {
    const edited = { ...msg(1), seq: 9, content: "edited" };
    expect(mergeMessages([edited, msg(2)], [msg(1), msg(2)])).toEqual([edited, msg(2)]);
  });
});
