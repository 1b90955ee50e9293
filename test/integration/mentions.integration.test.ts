// Mentions (SPEC.md "Mentions and notifications"): computed by the server on socket.io, /ws and REST, kept
// through edits, gone with a delete, and counted per room in GET /api/rooms and in read markers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message, RoomSummary, RoomsResponse } from "@/lib/protocol";
import { nextEvent, startTestServer, type TestServer } from "../helpers/test-server";
import { connectedUser, type ConnectedUser } from "../helpers/users";
import { openWs } from "../helpers/ws-client";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

type User = ConnectedUser;

let n = 0;
const user = (prefix: string): Promise<User> => connectedUser(server, `${prefix}${++n}`);

const api = async <T>(u: User, path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> => {
  const res = await fetch(server.url + path, {
    ...init,
    headers: { authorization: `Bearer ${u.token}`, "content-type": "application/json" },
  });
  return { status: res.status, body: (await res.json()) as T };
};
const roomsOf = async (u: User): Promise<Record<string, RoomSummary>> => {
  const { body } = await api<RoomsResponse>(u, "/api/rooms");
  return Object.fromEntries(body.rooms.map((r) => [r.name, r]));
};
async function send(u: User, payload: { room?: string; to?: string; content: string }): Promise<Message> {
  const ack = await u.socket.emitWithAck("message:send", payload);
  if (!ack.ok) throw new Error(ack.error.detail);
  return ack.message;
}
async function roomWith(owner: User, ...others: User[]): Promise<string> {
  const name = `m${++n}`;
  const created = await owner.socket.emitWithAck("room:create", { name });
  expect(created.ok).toBe(true);
  for (const o of others) expect((await o.socket.emitWithAck("room:join", { room: name })).ok).toBe(true);
  return name;
}

describe("mentions", () => {
  it("@username is found case-insensitively, for members only, and arrives with the message", async () => {
    const [a, b, outsider] = [await user("ma"), await user("mb"), await user("mo")];
    const room = await roomWith(a, b);
    const bGot = nextEvent(b.socket, "message:new");
    const text = `hey @${b.name.toUpperCase()}, and @${outsider.name} and @nobody-here and mail x@${b.name}.org`;
    const sent = await send(a, { room, content: text });
    expect(sent.mentions).toEqual([b.name]);
    expect((await bGot).mentions).toEqual([b.name]);
    // a trailing full stop is punctuation, not part of the name
    expect((await send(a, { room, content: `thanks @${b.name}.` })).mentions).toEqual([b.name]);
    expect((await send(a, { room, content: "no mention at all" })).mentions).toEqual([]);
  });

  it("@room mentions every member; @here those online now", async () => {
    const [a, b] = [await user("ra"), await user("rb")];
    const c = await user("rc");
    const room = await roomWith(a, b, c);
    c.socket.disconnect();
    const everyone = await send(a, { room, content: "@room standup" });
    expect([...everyone.mentions].sort()).toEqual([a.name, b.name, c.name].sort());
    // c's presence ends after the grace period: @here stops mentioning them then
    await expect
      .poll(async () => (await send(a, { room, content: "@here who is around?" })).mentions.sort(), { timeout: 8000 })
      .toEqual([a.name, b.name].sort());
  });

  it("editing recomputes them, deleting drops them, and GET /api/messages carries them", async () => {
    const [a, b, c] = [await user("ea"), await user("eb"), await user("ec")];
    const room = await roomWith(a, b, c);
    const sent = await send(a, { room, content: `@${b.name} look` });
    const edited = await a.socket.emitWithAck("message:edit", { id: sent.id, content: `@${c.name} look instead` });
    expect(edited).toMatchObject({ ok: true, message: { mentions: [c.name] } });
    expect((await roomsOf(b))[room]!.mentions).toBe(0);
    expect((await roomsOf(c))[room]!.mentions).toBe(1);
    const page = await api<{ messages: Message[] }>(a, `/api/messages?room=${room}`);
    expect(page.body.messages.find((m) => m.id === sent.id)?.mentions).toEqual([c.name]);
    const deleted = await a.socket.emitWithAck("message:delete", { id: sent.id });
    expect(deleted).toMatchObject({ ok: true, message: { deleted: true, mentions: [] } });
    expect((await roomsOf(c))[room]!.mentions).toBe(0);
  });

  it("rooms count unread mentions (never one's own), and reading drops the count, live too", async () => {
    const [a, b] = [await user("ca"), await user("cb")];
    const room = await roomWith(a, b);
    await send(a, { room, content: `@${b.name} one` });
    await send(a, { room, content: "not for you" });
    const last = await send(a, { room, content: `@room two` });
    await send(b, { room, content: `@${b.name} talking to myself` });
    expect((await roomsOf(b))[room]).toMatchObject({ unread: 3, mentions: 2 });
    expect((await roomsOf(a))[room]).toMatchObject({ unread: 1, mentions: 0 });

    const bRead = nextEvent(b.socket, "room:read");
    const ack = await b.socket.emitWithAck("room:read", { room, lastReadId: last.id - 1 });
    expect(ack).toMatchObject({ ok: true, unread: 1, mentions: 1 });
    expect(await bRead).toMatchObject({ room, unread: 1, mentions: 1 });
    await b.socket.emitWithAck("room:read", { room, lastReadId: last.id });
    expect((await roomsOf(b))[room]).toMatchObject({ unread: 0, mentions: 0 });
  });

  it("in a DM every unread message counts as a mention", async () => {
    const [a, b] = [await user("da"), await user("db")];
    const first = await send(a, { to: b.name, content: "psst" });
    await send(a, { to: b.name, content: "still there?" });
    expect((await roomsOf(b))[first.room]).toMatchObject({ unread: 2, mentions: 2, kind: "dm" });
    expect((await b.socket.emitWithAck("room:read", { room: first.room, lastReadId: first.id })).ok).toBe(true);
    expect((await roomsOf(b))[first.room]).toMatchObject({ unread: 1, mentions: 1 });
  });

  it("/ws frames carry mentions, and a /ws sender's mentions are computed too", async () => {
    const [a, b] = [await user("wa"), await user("wb")];
    const ws = await openWs(server.url, { token: b.token });
    await ws.nextOf("history");
    await send(a, { content: `hello @${b.name}` });
    const frame = await ws.next((f) => f.type === "message" && f.content === `hello @${b.name}`);
    expect(frame).toMatchObject({ mentions: [b.name] });
    const aGot = nextEvent(a.socket, "message:new");
    ws.sendJson({ content: `back at you @${a.name}` });
    expect(await aGot).toMatchObject({ username: b.name, mentions: [a.name] });
    await ws.close();
  });

  it("a client cannot supply mentions", async () => {
    const [a, b] = [await user("fa"), await user("fb")];
    const sent = await a.socket.emitWithAck("message:send", { content: "hi", mentions: [b.name] } as never);
    // unknown fields are refused or ignored; either way nobody is mentioned
    if (sent.ok) expect(sent.message.mentions).toEqual([]);
    else expect(sent.error.code).toBe("invalid_input");
    expect((await roomsOf(b)).general!.mentions).toBe(0);
  });
});
