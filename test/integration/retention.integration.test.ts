// RETENTION_DAYS (lib/services/retention.ts over the data layer's purgeBefore): messages older than the
// cut-off are deleted for good, in several small batches, with their reactions, edit history, mention rows
// and files; search no longer finds them; newer messages stay. The clock is injected: the cut-off falls between
// the old messages and a newer one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadServerConfig } from "@/lib/config";
import { searchResponseSchema, type Message } from "@/lib/protocol";
import { createRetention } from "@/lib/services/retention";
import { uploadFile } from "../helpers/uploads";
import { nextEvent, startTestServer, type TestServer, type TestSocket } from "../helpers/test-server";
import { dbNumber } from "../helpers/db";

let server: TestServer;
let alice: TestSocket;
let bob: TestSocket;
let bobToken: string;
let aliceToken: string;

beforeAll(async () => {
  server = await startTestServer({ env: { RETENTION_DAYS: "30" } });
  aliceToken = await server.token("alice");
  bobToken = await server.token("bob");
  alice = server.connect({ token: aliceToken });
  bob = server.connect({ token: bobToken });
  await Promise.all([nextEvent(alice, "history"), nextEvent(bob, "history")]);
});
afterAll(() => server.close());

async function send(socket: TestSocket, content: string): Promise<Message> {
  const ack = await socket.emitWithAck("message:send", { content });
  if (!ack.ok) throw new Error(ack.error.detail);
  return ack.message;
}

async function search(q: string): Promise<number[]> {
  const res = await fetch(`${server.url}/api/search?q=${encodeURIComponent(q)}`, {
    headers: { authorization: `Bearer ${bobToken}` },
  });
  return searchResponseSchema.parse(await res.json()).results.map((r) => r.message.id);
}

const rowsOf = (table: string, ids: number[]) =>
  dbNumber(server, `SELECT COUNT(*) FROM "${table}" WHERE "messageId" IN (${ids.join(",")})`);

describe("retention", () => {
  it("is configured by RETENTION_DAYS (off by default, a positive whole number of days)", () => {
    expect(server.services.retention).toBeDefined();
    expect(loadServerConfig({}).RETENTION_DAYS).toBeUndefined();
    expect(() => loadServerConfig({ RETENTION_DAYS: "0" })).toThrow(/RETENTION_DAYS/);
  });

  it("deletes older messages in batches, with what hangs off them, and search forgets them", async () => {
    const old: Message[] = [];
    old.push(await send(alice, "ancient pineapple for @bob"));
    for (let i = 0; i < 450; i++) old.push(await send(alice, `old filler ${i}`));
    // and one with a file: its row goes with the message, then the sweep takes the bytes
    const upload = await uploadFile(server.url, aliceToken, `an old log ${Math.random()}`, "old.log");
    if (!upload.file) throw new Error(`upload ${upload.status}: ${upload.detail}`);
    const withFile = await alice.emitWithAck("message:send", { content: "old attachment", files: [upload.file.id] });
    if (!withFile.ok) throw new Error(withFile.error.detail);
    old.push(withFile.message);
    const [first] = old;
    if (!first) throw new Error("nothing sent");
    expect((await bob.emitWithAck("reaction:add", { id: first.id, emoji: "👍" })).ok).toBe(true);
    expect((await alice.emitWithAck("message:edit", { id: first.id, content: "ancient pineapple, @bob" })).ok).toBe(
      true,
    );
    const ids = old.map((m) => m.id);
    expect(await search("pineapple")).toEqual([first.id]);
    expect([await rowsOf("Reaction", ids), await rowsOf("MessageEdit", ids), await rowsOf("Mention", ids)]).toEqual([
      1, 1, 1,
    ]);
    expect(await rowsOf("Upload", ids)).toBe(1);

    // a newer message, stored strictly later than every old one: the cut-off is its own time
    let fresh = await send(alice, "fresh pineapple");
    while (fresh.timestamp <= old.at(-1)!.timestamp) fresh = await send(alice, "fresh pineapple");
    const days = 30;
    const now = () => new Date(Date.parse(fresh.timestamp) + days * 24 * 60 * 60 * 1000);
    let batches = 0;
    const retention = createRetention({
      messages: {
        purgeBefore: (cutoff, limit) => {
          batches++;
          return server.db.messages.purgeBefore(cutoff, limit);
        },
      },
      days,
      now,
      batchSize: 100,
      log: () => undefined,
    });
    await retention.run(); // the run at start-up may still be going: run() joins it
    await retention.close();

    expect(batches).toBeGreaterThanOrEqual(5); // 452 messages, 100 a batch
    const left = await dbNumber(server, `SELECT COUNT(*) FROM "Message" WHERE "id" IN (${ids.join(",")})`);
    expect(left).toBe(0);
    expect([await rowsOf("Reaction", ids), await rowsOf("MessageEdit", ids), await rowsOf("Mention", ids)]).toEqual([
      0, 0, 0,
    ]);
    expect(await rowsOf("Upload", ids)).toBe(0);
    const fileAnswer = await fetch(server.url + upload.file.url, {
      headers: { authorization: `Bearer ${aliceToken}` },
    });
    expect(fileAnswer.status).toBe(404);
    expect((await server.services.files.sweep(now())).blobs).toBeGreaterThanOrEqual(1);
    expect(await search("pineapple")).toEqual([fresh.id]);
    const page = await fetch(`${server.url}/api/messages?room=general&limit=500`, {
      headers: { authorization: `Bearer ${bobToken}` },
    });
    const contents = ((await page.json()) as { messages: Message[] }).messages.map((m) => m.content);
    expect(contents).toContain("fresh pineapple");
    expect(contents.filter((c) => c.startsWith("old filler"))).toEqual([]);

    // the server keeps working: a new message after the purge gets a new id and is found
    const after = await send(alice, "after the purge pineapple");
    expect(after.id).toBeGreaterThan(fresh.id);
    expect(await search("pineapple")).toEqual([after.id, fresh.id]);
  });
});
