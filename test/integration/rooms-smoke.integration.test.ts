import { afterAll, beforeAll, expect, it } from "vitest";
import type { RoomsResponse } from "@/lib/protocol";
import { nextEvent, startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

it("rooms: create, join, message only to members, DM, read markers", async () => {
  const [ta, tb, tc] = await Promise.all([server.token("ann"), server.token("ben"), server.token("cid")]);
  const a = server.connect({ token: ta });
  const b = server.connect({ token: tb });
  const c = server.connect({ token: tc });
  await Promise.all([nextEvent(a, "history"), nextEvent(b, "history"), nextEvent(c, "history")]);

  const created = await a.emitWithAck("room:create", { name: "Ops" });
  expect(created).toMatchObject({ ok: true, room: { name: "Ops", kind: "room", unread: 0 } });
  const joined = b.emitWithAck("room:join", { room: "ops" });
  expect(await joined).toMatchObject({ ok: true, room: { name: "Ops" }, messages: [] });

  const cGot: string[] = [];
  c.on("message:new", (m) => cGot.push(m.room));
  const bNew = nextEvent(b, "message:new");
  const sent = await a.emitWithAck("message:send", { room: "Ops", content: "ops only" });
  expect(sent).toMatchObject({ ok: true, message: { room: "Ops" } });
  expect(await bNew).toMatchObject({ room: "Ops", content: "ops only" });

  // c is not a member: refused, and never received it
  expect(await c.emitWithAck("message:send", { room: "Ops", content: "let me in" })).toMatchObject({
    ok: false,
    error: { code: "forbidden" },
  });
  const page = await fetch(`${server.url}/api/messages?room=Ops`, { headers: { authorization: `Bearer ${tc}` } });
  expect(page.status).toBe(403);

  // DM
  const bDm = nextEvent(b, "message:new");
  const dm = await a.emitWithAck("message:send", { to: "ben", content: "psst" });
  expect(dm).toMatchObject({ ok: true, message: { room: "dm:ann:ben" } });
  expect(await bDm).toMatchObject({ room: "dm:ann:ben", content: "psst" });
  const cPage = await fetch(`${server.url}/api/messages?room=dm:ann:ben`, {
    headers: { authorization: `Bearer ${tc}` },
  });
  expect(cPage.status).toBe(404);

  // unread for b: one in Ops, one in the DM; reading Ops clears it
  const rooms = (await (
    await fetch(`${server.url}/api/rooms`, { headers: { authorization: `Bearer ${tb}` } })
  ).json()) as RoomsResponse;
  const byName = Object.fromEntries(rooms.rooms.map((r) => [r.name, r]));
  expect(byName["Ops"]?.unread).toBe(1);
  expect(byName["dm:ann:ben"]).toMatchObject({ unread: 1, kind: "dm", peer: "ann" });
  expect(await b.emitWithAck("room:read", { room: "Ops", lastReadId: byName["Ops"]!.lastMessageId })).toEqual({
    ok: true,
    unread: 0,
  });
  await new Promise((r) => setTimeout(r, 100));
  expect(cGot).toEqual([]);
});
