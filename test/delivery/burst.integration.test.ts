// Delivery guarantees under a burst: group commit writes whatever queued up while the previous commit was
// in flight (up to 500 messages) as one batch. Every message of such a batch must be stored and acked —
// with clientIds (the normal case: the web UI and the terminal client always send one) as without.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "@/lib/protocol";
import type { Identity } from "@/lib/services/auth";
import { fire, openLogged, tracked, type ReceiveLog, type Tracked } from "../helpers/delivery";
import { send } from "../helpers/socket-utils";
import { startTestServer, type TestServer } from "../helpers/test-server";
import { dbNumber } from "../helpers/db";

let server: TestServer;
let who: Identity;
let sender: ReceiveLog;

beforeAll(async () => {
  server = await startTestServer();
  const token = await server.token("alice");
  const identity = await server.services.auth.authenticate(token);
  if (!identity) throw new Error("no identity");
  who = identity;
  sender = await openLogged(server.url, { token });
});
afterAll(async () => {
  sender.socket.disconnect();
  await server.close();
});

const count = () => dbNumber(server, "SELECT count(*) FROM Message");

/** `n` sends queued in the same tick, i.e. one group-commit batch; what each one settled to. */
async function oneBatch(n: number, withClientId: boolean): Promise<PromiseSettledResult<Message>[]> {
  return Promise.allSettled(
    Array.from({ length: n }, (_, i) =>
      server.services.messages.send(who, {
        content: `batch ${i}`,
        ...(withClientId ? { clientId: randomUUID() } : {}),
      }),
    ),
  );
}

const reasons = (results: PromiseSettledResult<Message>[]) => {
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  return { failed: failed.length, firstReason: failed[0] ? String(failed[0].reason).slice(0, 300) : undefined };
};

describe("one group-commit batch", () => {
  it("of 498 messages with clientIds is stored whole (control)", async () => {
    const before = await count();
    expect(reasons(await oneBatch(498, true))).toEqual({ failed: 0, firstReason: undefined });
    expect(await count()).toBe(before + 498);
  });

  it("of 500 messages without clientIds is stored whole (control)", async () => {
    const before = await count();
    expect(reasons(await oneBatch(500, false))).toEqual({ failed: 0, firstReason: undefined });
    expect(await count()).toBe(before + 500);
  });

  it("of 499 messages with clientIds is stored whole", async () => {
    const before = await count();
    expect(reasons(await oneBatch(499, true))).toEqual({ failed: 0, firstReason: undefined });
    expect(await count()).toBe(before + 499);
  });

  it("of 500 (MAX_BATCH) messages with clientIds is stored whole", async () => {
    const before = await count();
    expect(reasons(await oneBatch(500, true))).toEqual({ failed: 0, firstReason: undefined });
    expect(await count()).toBe(before + 500);
  });
});

describe("a client emitting 1,000 messages with clientIds at once over socket.io", () => {
  it("gets 1,000 ok acks and 1,000 stored rows", async () => {
    const before = await count();
    const items: Tracked[] = Array.from({ length: 1000 }, (_, i) => tracked(`burst ${i}`));
    await Promise.all(items.map((item) => fire(sender.socket, item, 20_000)));
    const failures = items.filter((t) => !t.acked).map((t) => t.failed);
    expect({ failed: failures.length, first: failures[0] }).toEqual({ failed: 0, first: undefined });
    expect(await count()).toBe(before + 1000);
  });

  it("a burst of 300 (under the limit) and its retry with the same clientIds: 300 rows, identical acks", async () => {
    const before = await count();
    const items: Tracked[] = Array.from({ length: 300 }, (_, i) => tracked(`retried burst ${i}`));
    await Promise.all(items.map((item) => fire(sender.socket, item, 20_000)));
    const acks = await Promise.all(items.map((t) => send(sender.socket, { content: t.content, clientId: t.clientId })));
    expect(acks).toEqual(items.map((t) => ({ ok: true, message: t.acked })));
    expect(await count()).toBe(before + 300);
  });
});
