// Rooms, direct messages, presence, typing and unread counts over socket.io, REST and /ws (SPEC.md "Rooms…").
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message, RoomSummary, RoomsResponse, UsersResponse } from "@/lib/protocol";
import { record, waitUntil } from "../helpers/socket-utils";
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

let seq = 0;
const user = (prefix: string): Promise<User> => connectedUser(server, `${prefix}${++seq}`);

const get = async <T>(path: string, token: string): Promise<{ status: number; body: T }> => {
  const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as T };
};
const roomsOf = async (u: User): Promise<Record<string, RoomSummary>> => {
  const { body } = await get<RoomsResponse>("/api/rooms", u.token);
  return Object.fromEntries(body.rooms.map((r) => [r.name, r]));
};
let markers = 0;
/**
 * The barrier before an absence check: `from` sends a marker to general and every one of `to` receives it.
 * Anything `from` caused before that reaches a socket ahead of the marker, so what has not come by now never will.
 */
async function barrier(from: User, ...to: User[]): Promise<void> {
  const content = `marker ${++markers}`;
  const got = to.map((u) => record(u.socket, "message:new"));
  await sendTo(from, { content });
  await waitUntil(() => got.every((list) => list.some((m) => m.content === content)), 5000, content);
}

const sendTo = async (u: User, payload: { room?: string; to?: string; content: string }): Promise<Message> => {
  const ack = await u.socket.emitWithAck("message:send", payload);
  if (!ack.ok) throw new Error(ack.error.detail);
  return ack.message;
};

describe("rooms", () => {
  it("general exists for everyone and cannot be left", async () => {
    const a = await user("gen");
    expect(Object.keys(await roomsOf(a))).toEqual(["general"]);
    expect(await a.socket.emitWithAck("room:leave", { room: "general" })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
  });

  it("names are validated and unique case-insensitively", async () => {
    const a = await user("names");
    for (const bad of ["", "has space", "x".repeat(41), "dm:x:y", "émoji"]) {
      const ack = await a.socket.emitWithAck("room:create", { name: bad });
      expect(ack, bad).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    }
    expect(await a.socket.emitWithAck("room:create", { name: "Build_1-a" })).toMatchObject({ ok: true });
    expect(await a.socket.emitWithAck("room:create", { name: "build_1-A" })).toMatchObject({
      ok: false,
      error: { code: "conflict" },
    });
  });

  it("a public room: create, list in the directory, join, talk; messages reach members only", async () => {
    const [a, b, outsider] = [await user("pa"), await user("pb"), await user("po")];
    const created = await a.socket.emitWithAck("room:create", { name: `pub${seq}` });
    if (!created.ok) throw new Error(created.error.detail);
    const name = created.room.name;

    const dir = await get<{ rooms: { name: string; joined: boolean }[] }>("/api/rooms?directory=1", b.token);
    expect(dir.body.rooms).toContainEqual({ name, joined: false });

    // not yet a member: sending, reading and typing are refused
    expect(await b.socket.emitWithAck("message:send", { room: name, content: "x" })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    expect((await get(`/api/messages?room=${name}`, b.token)).status).toBe(403);
    expect(await b.socket.emitWithAck("room:read", { room: name, lastReadId: 1 })).toMatchObject({ ok: false });

    const first = await sendTo(a, { room: name, content: "before b joined" });
    const bJoined = record(b.socket, "room:joined");
    const joined = await b.socket.emitWithAck("room:join", { room: name.toUpperCase() });
    expect(joined).toMatchObject({ ok: true, room: { name, unread: 0 }, messages: [{ id: first.id }] });
    await waitUntil(() => bJoined.length === 1, 2000, "room:joined event");

    const outsiderGot = record(outsider.socket, "message:new");
    const bGot = nextEvent(b.socket, "message:new");
    const m = await sendTo(a, { room: name, content: "hello members" });
    expect(await bGot).toEqual(m);
    expect(
      (await get<{ messages: Message[] }>(`/api/messages?room=${name}`, b.token)).body.messages.map((x) => x.id),
    ).toEqual([first.id, m.id]);
    expect((await get(`/api/messages?room=${name}`, outsider.token)).status).toBe(403);
    await barrier(a, outsider);
    expect(outsiderGot.filter((x) => x.room === name)).toEqual([]);

    // leaving: no more messages, sending refused
    expect(await b.socket.emitWithAck("room:leave", { room: name })).toEqual({ ok: true });
    const bAfter = record(b.socket, "message:new");
    await sendTo(a, { room: name, content: "after b left" });
    await barrier(a, b);
    expect(bAfter.filter((x) => x.room === name)).toEqual([]);
    expect(Object.keys(await roomsOf(b))).not.toContain(name);
  });

  it("members hear of each other's joins and leaves (room:member); outsiders do not", async () => {
    const [a, b, c, outsider] = [await user("ma"), await user("mb"), await user("mc"), await user("mo")];
    const name = `memb${seq}`;
    await a.socket.emitWithAck("room:create", { name });
    const toA = record(a.socket, "room:member");
    const toB = record(b.socket, "room:member");
    const toOutsider = record(outsider.socket, "room:member");
    expect(await b.socket.emitWithAck("room:join", { room: name })).toMatchObject({ ok: true });
    await waitUntil(() => toA.length === 1);
    expect(toA[0]).toEqual({ room: name, username: b.name, joined: true });

    // an invitation counts as a join; a leave reaches those who stay
    expect(await a.socket.emitWithAck("room:invite", { room: name, username: c.name })).toEqual({ ok: true });
    await waitUntil(() => toA.length === 2 && toB.length === 1);
    expect(toB[0]).toEqual({ room: name, username: c.name, joined: true });
    expect(await b.socket.emitWithAck("room:leave", { room: name })).toEqual({ ok: true });
    await waitUntil(() => toA.length === 3);
    expect(toA[2]).toEqual({ room: name, username: b.name, joined: false });
    await barrier(a, b, outsider);
    expect(toB).toHaveLength(1); // b left: nothing more about the room
    expect(toOutsider).toEqual([]);
  });

  it("a private room is invisible until an invitation", async () => {
    const [owner, guest, stranger] = [await user("vo"), await user("vg"), await user("vs")];
    const name = `priv${seq}`;
    expect(await owner.socket.emitWithAck("room:create", { name, private: true })).toMatchObject({
      ok: true,
      room: { private: true },
    });
    const dir = await get<{ rooms: { name: string }[] }>("/api/rooms?directory=1", guest.token);
    expect(dir.body.rooms.map((r) => r.name)).not.toContain(name);
    // outsiders learn nothing: not found, like a room that does not exist
    expect(await guest.socket.emitWithAck("room:join", { room: name })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect((await get(`/api/messages?room=${name}`, guest.token)).status).toBe(404);
    expect(await stranger.socket.emitWithAck("room:invite", { room: name, username: stranger.name })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });

    const guestJoined = nextEvent(guest.socket, "room:joined");
    expect(await owner.socket.emitWithAck("room:invite", { room: name, username: guest.name })).toEqual({ ok: true });
    expect(await guestJoined).toMatchObject({ name, private: true });
    const got = nextEvent(guest.socket, "message:new");
    const m = await sendTo(owner, { room: name, content: "welcome" });
    expect(await got).toEqual(m);
    expect((await get(`/api/messages?room=${name}`, stranger.token)).status).toBe(404);
  });
});

describe("direct messages", () => {
  it("only the two users can read a DM; it is listed with the rooms", async () => {
    const [a, b, c] = [await user("da"), await user("db"), await user("dc")];
    const cGot = record(c.socket, "message:new");
    const bGot = nextEvent(b.socket, "message:new");
    const m = await sendTo(a, { to: b.name.toUpperCase(), content: "just us" });
    expect(m.room).toBe(`dm:${[a.name, b.name].sort().join(":")}`);
    expect(await bGot).toEqual(m);

    expect((await roomsOf(b))[m.room]).toMatchObject({ kind: "dm", private: true, peer: a.name, unread: 1 });
    expect((await roomsOf(a))[m.room]).toMatchObject({ peer: b.name, unread: 0 });
    expect((await get(`/api/messages?room=${encodeURIComponent(m.room)}`, c.token)).status).toBe(404);
    expect(await c.socket.emitWithAck("message:send", { room: m.room, content: "hi" })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await c.socket.emitWithAck("room:join", { room: m.room })).toMatchObject({ ok: false });
    // replying by room name or by `to` lands in the same room
    expect((await sendTo(b, { room: m.room, content: "reply" })).room).toBe(m.room);
    expect((await sendTo(b, { to: a.name, content: "again" })).room).toBe(m.room);
    await barrier(b, c);
    expect(cGot.filter((x) => x.room === m.room)).toEqual([]);
  });

  it("DMs to unknown users are refused; a DM with yourself works", async () => {
    const a = await user("ds");
    expect(await a.socket.emitWithAck("message:send", { to: "nobody_here", content: "hi" })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect((await sendTo(a, { to: a.name, content: "note to self" })).room).toBe(`dm:${a.name}:${a.name}`);
  });
});

describe("unread counts", () => {
  it("count others' messages after the read marker, agree across a user's sockets, never count own", async () => {
    const [a, b] = [await user("ua"), await user("ub")];
    const name = `unread${seq}`;
    await a.socket.emitWithAck("room:create", { name });
    await b.socket.emitWithAck("room:join", { room: name });
    const bTab2 = server.connect({ token: await server.token(b.name) });
    await nextEvent(bTab2, "history");

    await sendTo(b, { room: name, content: "own message" });
    let last: Message | undefined;
    for (let i = 0; i < 3; i++) last = await sendTo(a, { room: name, content: `news ${i}` });
    expect((await roomsOf(b))[name]?.unread).toBe(3);
    expect((await roomsOf(a))[name]?.unread).toBe(1);

    // reading on one tab tells the other
    const tab2Read = nextEvent(bTab2, "room:read");
    // (the count says which messages it covers: up to the newest when it was taken)
    const newest = last!.id;
    expect(await b.socket.emitWithAck("room:read", { room: name, lastReadId: last!.id - 1 })).toEqual({
      ok: true,
      unread: 1,
      mentions: 0,
      countedThrough: newest,
    });
    expect(await tab2Read).toEqual({
      room: name,
      lastReadId: last!.id - 1,
      unread: 1,
      mentions: 0,
      countedThrough: newest,
    });
    // the marker never moves back
    expect(await bTab2.emitWithAck("room:read", { room: name, lastReadId: 0 })).toEqual({
      ok: true,
      unread: 1,
      mentions: 0,
      countedThrough: newest,
    });
    expect(await bTab2.emitWithAck("room:read", { room: name, lastReadId: last!.id })).toEqual({
      ok: true,
      unread: 0,
      mentions: 0,
      countedThrough: newest,
    });
    expect((await roomsOf(b))[name]).toMatchObject({ unread: 0, lastReadId: last!.id, lastMessageId: last!.id });
  });
});

/** socket.io connections the server holds now, from its /metrics */
async function openSocketIo(): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = /^chatterbox_connections\{transport="socketio"\} (\d+)$/m.exec(text);
  if (!line) throw new Error("no socket.io connection gauge in /metrics");
  return Number(line[1]);
}

async function waitUntilAsync(condition: () => Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("presence", () => {
  it("online while any socket is open, offline after the last closes (with grace), last seen recorded", async () => {
    const watcher = await user("pw");
    const name = `pres${++seq}`;
    const token = await server.token(name);
    const events = record(watcher.socket, "presence");
    const tab1 = server.connect({ token });
    const tab2 = server.connect({ token });
    await Promise.all([nextEvent(tab1, "history"), nextEvent(tab2, "history")]);
    await waitUntil(() => events.some((e) => e.username === name && e.online), 2000, "online event");
    const users = async () => (await get<UsersResponse>("/api/users", watcher.token)).body.users;
    expect((await users()).find((u) => u.username === name)).toMatchObject({ online: true });

    // the barrier: the server has dropped tab1 (its socket count falls in the same step as its disconnect handler)
    const socketsBefore = await openSocketIo();
    tab1.disconnect();
    await waitUntilAsync(async () => (await openSocketIo()) === socketsBefore - 1, "tab1 dropped");
    expect((await users()).find((u) => u.username === name)?.online).toBe(true);
    tab2.disconnect();
    await waitUntil(() => events.some((e) => e.username === name && !e.online), 4000, "offline event");
    // last seen is written just after the offline event
    let after = (await users()).find((u) => u.username === name);
    await waitUntilAsync(async () => {
      after = (await users()).find((u) => u.username === name);
      return Boolean(after?.lastSeen);
    }, "last seen");
    expect(after?.online).toBe(false);
    expect(Date.parse(after?.lastSeen ?? "")).toBeGreaterThan(Date.now() - 10_000);
    expect(events.filter((e) => e.username === name).map((e) => e.online)).toEqual([true, false]);
  });
});

describe("typing", () => {
  it("reaches the room's other members only", async () => {
    const [a, b, c] = [await user("ta"), await user("tb"), await user("tc")];
    const name = `typing${seq}`;
    await a.socket.emitWithAck("room:create", { name });
    await b.socket.emitWithAck("room:join", { room: name });
    const aGot = record(a.socket, "typing");
    const cGot = record(c.socket, "typing");
    const bGot = nextEvent(b.socket, "typing");
    a.socket.emit("typing", { room: name });
    expect(await bGot).toEqual({ room: name, username: a.name });
    // a non-member cannot type into the room
    const bAll = record(b.socket, "typing");
    c.socket.emit("typing", { room: name });
    // the barrier: c then types in general, through the same handler; a and b hear that, and nothing before it
    c.socket.emit("typing", { room: "general" });
    await waitUntil(() => aGot.length > 0 && bAll.length > 0, 5000, "c typing in general");
    expect(aGot).toEqual([{ room: "general", username: c.name }]);
    expect(cGot).toEqual([]);
    expect(bAll).toEqual([{ room: "general", username: c.name }]);
  });
});

describe("pagination", () => {
  it("before/after cursors page a room exactly, at the boundaries too", async () => {
    const a = await user("pg");
    const name = `pages${seq}`;
    await a.socket.emitWithAck("room:create", { name });
    const ids: number[] = [];
    for (let i = 0; i < 120; i++) ids.push((await sendTo(a, { room: name, content: `p${i}` })).id);
    const page = async (q: string) =>
      (await get<{ messages: Message[] }>(`/api/messages?room=${name}&${q}`, a.token)).body.messages.map((m) => m.id);
    expect(await page("limit=50")).toEqual(ids.slice(70));
    expect(await page(`before=${ids[70]}&limit=50`)).toEqual(ids.slice(20, 70));
    expect(await page(`before=${ids[20]}&limit=50`)).toEqual(ids.slice(0, 20));
    expect(await page(`before=${ids[0]}&limit=50`)).toEqual([]);
    expect(await page(`after=${ids[119]}`)).toEqual([]);
    expect(await page(`after=${ids[0]}&limit=2`)).toEqual(ids.slice(1, 3));
    expect(await page(`after=0&limit=500`)).toEqual(ids);
  });
  it("messages:page over socket.io answers exactly what GET /api/messages answers, refusals too", async () => {
    const [a, outsider] = [await user("sp"), await user("so")];
    const name = `spages${seq}`;
    await a.socket.emitWithAck("room:create", { name });
    const ids: number[] = [];
    for (let i = 0; i < 60; i++) ids.push((await sendTo(a, { room: name, content: `s${i}` })).id);
    const queries = [{}, { limit: 10 }, { before: ids[30] }, { before: ids[0] }, { after: ids[50], limit: 5 }];
    for (const q of queries) {
      const ack = await a.socket.emitWithAck("messages:page", { room: name, ...q });
      const params = new URLSearchParams(Object.entries({ room: name, ...q }).map(([k, v]) => [k, String(v)]));
      const rest = await get<{ messages: Message[] }>(`/api/messages?${params}`, a.token);
      expect(ack).toEqual({ ok: true, messages: rest.body.messages });
    }
    expect(await a.socket.emitWithAck("messages:page", { room: name, before: ids[30] })).toMatchObject({
      ok: true,
      messages: ids.slice(0, 30).map((id) => ({ id, room: name })),
    });
    // general by default
    const general = await a.socket.emitWithAck("messages:page", { limit: 1 });
    expect(general).toMatchObject({ ok: true });
    expect(general.ok && general.messages.every((m) => m.room === "general")).toBe(true);

    const refused = (code: string) => ({ ok: false, error: { code, detail: expect.any(String) as unknown } });
    expect(await a.socket.emitWithAck("messages:page", { room: name, before: 5, after: 1 })).toEqual(
      refused("invalid_input"),
    );
    expect(await a.socket.emitWithAck("messages:page", { room: name, limit: 501 })).toEqual(refused("invalid_input"));
    expect(await outsider.socket.emitWithAck("messages:page", { room: name })).toEqual(refused("forbidden"));
    expect(await outsider.socket.emitWithAck("messages:page", { room: "no-such-room" })).toEqual(refused("not_found"));
    expect(await outsider.socket.emitWithAck("messages:page", { room: `dm:${a.name}:zz` })).toEqual(
      refused("not_found"),
    );
  });

  it("leaving a room ends reading its history at once, over REST and the socket", async () => {
    const a = await user("lv");
    const name = `leave${seq}`;
    await a.socket.emitWithAck("room:create", { name });
    await sendTo(a, { room: name, content: "before leaving" });
    // read once, so the room and the membership are in the server's cache
    expect((await get(`/api/messages?room=${name}`, a.token)).status).toBe(200);
    expect(await a.socket.emitWithAck("messages:page", { room: name })).toMatchObject({ ok: true });
    expect(await a.socket.emitWithAck("room:leave", { room: name })).toEqual({ ok: true });
    expect((await get(`/api/messages?room=${name}`, a.token)).status).toBe(403);
    expect(await a.socket.emitWithAck("messages:page", { room: name })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
  });
});

describe("reconnect gap fill covers every room", () => {
  it("history after lastMessageId carries missed messages of all the user's rooms, in id order", async () => {
    const [a, b] = [await user("ga"), await user("gb")];
    const name = `gap${seq}`;
    await a.socket.emitWithAck("room:create", { name });
    await b.socket.emitWithAck("room:join", { room: name });
    const before = await sendTo(a, { content: "seen" });
    b.socket.disconnect();
    const missed = [
      await sendTo(a, { room: name, content: "in room" }),
      await sendTo(a, { content: "in general" }),
      await sendTo(a, { to: b.name, content: "in dm" }),
    ];
    const again = server.connect({ token: b.token, lastMessageId: before.id });
    const history = await nextEvent(again, "history");
    expect(history.messages.map((m) => m.id)).toEqual(missed.map((m) => m.id));
  });
});

describe("plain WebSocket", () => {
  it("frames without room stay in general; `room` reaches a room the user is in", async () => {
    const [a, b] = [await user("wa"), await user("wb")];
    const name = `wsroom${seq}`;
    await a.socket.emitWithAck("room:create", { name });
    const ws = await openWs(server.url, { token: b.token });
    await ws.nextOf("history");
    ws.sendJson({ room: name, content: "not a member" });
    expect(await ws.nextOf("error")).toMatchObject({ type: "error" });
    await b.socket.emitWithAck("room:join", { room: name });
    const aGot = nextEvent(a.socket, "message:new");
    ws.sendJson({ room: name, content: "from ws" });
    expect(await aGot).toMatchObject({ room: name, content: "from ws", username: b.name });
    const frame = await ws.next((f) => f.type === "message" && f.content === "from ws");
    expect(frame).toMatchObject({ room: name });
    await ws.close();
  });
});

describe("members", () => {
  it("GET /api/rooms/<name>/members lists a readable room's members; outsiders get 403 or 404", async () => {
    const [a, b, c] = [await user("ma"), await user("mb"), await user("mc")];
    const name = `members${seq}`;
    await a.socket.emitWithAck("room:create", { name });
    await b.socket.emitWithAck("room:join", { room: name });
    const listed = await get<{ members: string[] }>(`/api/rooms/${name}/members`, a.token);
    expect(listed).toEqual({ status: 200, body: { members: [a.name, b.name].sort() } });
    expect((await get(`/api/rooms/${name}/members`, c.token)).status).toBe(403);
    const dm = await sendTo(a, { to: b.name, content: "hi" });
    expect((await get(`/api/rooms/${encodeURIComponent(dm.room)}/members`, c.token)).status).toBe(404);
    expect((await get(`/api/rooms/${encodeURIComponent(dm.room)}/members`, b.token)).status).toBe(200);
    // a malformed escape in the name is the client's error, named as such
    const bad = await get<{ detail: string }>(`/api/rooms/%E0%A4%A/members`, a.token);
    expect(bad).toEqual({ status: 422, body: { detail: "room is not validly percent-encoded" } });
  });
});
