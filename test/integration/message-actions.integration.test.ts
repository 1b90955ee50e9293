// Edit, delete, reactions and replies over socket.io, REST and /ws (SPEC.md "Message actions").
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack, Message } from "@/lib/protocol";
import { record, waitUntil } from "../helpers/socket-utils";
import { nextEvent, startTestServer, type TestServer } from "../helpers/test-server";
import { connectedUser, type ConnectedUser } from "../helpers/users";
import { openWs } from "../helpers/ws-client";
import { dbAll } from "../helpers/db";

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

const ok = (ack: Ack<{ message: Message }>): Message => {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.detail}`);
  return ack.message;
};
const sendIn = async (u: User, content: string, extra: { room?: string; replyTo?: number } = {}) =>
  ok(await u.socket.emitWithAck("message:send", { content, ...extra }));
const refusal = (ack: Ack<object>) => (ack.ok ? "ok" : ack.error.code);

/**
 * The barrier before an absence check on `message:updated`: `u` edits a marker message in general (everyone's
 * room), and the caller waits for that update. An update that should not arrive was emitted before it.
 */
async function markerEdit(u: User): Promise<Message> {
  const marker = await sendIn(u, "marker");
  return ok(await u.socket.emitWithAck("message:edit", { id: marker.id, content: "marker, edited" }));
}

async function rest(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as { message: Message; detail?: string } };
}

async function privateRoomOf(u: User): Promise<string> {
  const name = `priv${++n}`;
  const ack = await u.socket.emitWithAck("room:create", { name, private: true });
  if (!ack.ok) throw new Error(ack.error.detail);
  return name;
}

describe("message actions over socket.io", () => {
  it("edits (author only), keeps the history, and broadcasts message:updated with a new seq", async () => {
    const [a, b] = [await user("ed"), await user("ed")];
    const m = await sendIn(a, "first words");
    const seen = nextEvent(b.socket, "message:updated");
    const edited = ok(await a.socket.emitWithAck("message:edit", { id: m.id, content: "  second words " }));
    expect(edited).toMatchObject({ id: m.id, content: "second words", deleted: false });
    expect(edited.editedAt).not.toBeNull();
    expect(edited.seq).toBeGreaterThan(m.seq);
    expect(await seen).toEqual(edited);
    expect(refusal(await b.socket.emitWithAck("message:edit", { id: m.id, content: "mine now" }))).toBe("forbidden");
    const rows = await dbAll<{ previousContent: string; editorId: number }>(
      server,
      `SELECT "previousContent", "editorId" FROM "MessageEdit" WHERE "messageId" = ?`,
      m.id,
    );
    expect(rows.map((r) => r.previousContent)).toEqual(["first words"]);
  });

  it("an edit with the same content changes nothing: same seq, no broadcast, no history row", async () => {
    const [a, b] = [await user("same"), await user("same")];
    const m = await sendIn(a, "stable");
    const first = nextEvent(b.socket, "message:updated");
    const once = ok(await a.socket.emitWithAck("message:edit", { id: m.id, content: "changed" }));
    await first;
    const updates = record(b.socket, "message:updated");
    const twice = ok(await a.socket.emitWithAck("message:edit", { id: m.id, content: "changed" }));
    expect(twice).toEqual(once);
    const marker = await markerEdit(a);
    await waitUntil(() => updates.some((u) => u.id === marker.id), 5000, "the marker's update");
    expect(updates).toEqual([marker]);
    const count = (await dbAll(server, `SELECT 1 FROM "MessageEdit" WHERE "messageId" = ?`, m.id)).length;
    expect(count).toBe(1);
  });

  it("refuses bad content, unknown ids and bad payloads", async () => {
    const a = await user("bad");
    const m = await sendIn(a, "x");
    for (const content of ["", "   ", "y".repeat(4001)]) {
      expect(refusal(await a.socket.emitWithAck("message:edit", { id: m.id, content }))).toBe("invalid_input");
    }
    expect(refusal(await a.socket.emitWithAck("message:edit", { id: 999_999, content: "z" }))).toBe("not_found");
    expect(refusal(await a.socket.emitWithAck("message:delete", { id: 999_999 }))).toBe("not_found");
    expect(refusal(await a.socket.emitWithAck("reaction:add", { id: 999_999, emoji: "👍" }))).toBe("not_found");
    expect(refusal(await a.socket.emitWithAck("message:delete", { id: -1 }))).toBe("invalid_input");
  });

  it("reactions: one emoji grapheme, once per user, counted with their users in order of first use", async () => {
    const [a, b] = [await user("re"), await user("re")];
    const m = await sendIn(a, "react to me");
    for (const emoji of ["a", "👍👍", "", "👍 ", ":)"]) {
      expect(refusal(await b.socket.emitWithAck("reaction:add", { id: m.id, emoji })), emoji).toBe("invalid_input");
    }
    const first = ok(await b.socket.emitWithAck("reaction:add", { id: m.id, emoji: "👍🏽" }));
    const again = ok(await b.socket.emitWithAck("reaction:add", { id: m.id, emoji: "👍🏽" }));
    expect(again).toEqual(first);
    ok(await a.socket.emitWithAck("reaction:add", { id: m.id, emoji: "👨‍👩‍👧" }));
    const both = ok(await a.socket.emitWithAck("reaction:add", { id: m.id, emoji: "👍🏽" }));
    expect(both.reactions).toEqual([
      { emoji: "👍🏽", count: 2, users: [b.name, a.name] },
      { emoji: "👨‍👩‍👧", count: 1, users: [a.name] },
    ]);
    const removed = ok(await b.socket.emitWithAck("reaction:remove", { id: m.id, emoji: "👍🏽" }));
    // a's 👍🏽 now comes after the family emoji: it was added later
    expect(removed.reactions).toEqual([
      { emoji: "👨‍👩‍👧", count: 1, users: [a.name] },
      { emoji: "👍🏽", count: 1, users: [a.name] },
    ]);
    const noop = ok(await b.socket.emitWithAck("reaction:remove", { id: m.id, emoji: "👍🏽" }));
    expect(noop).toEqual(removed);
  });

  it("deletes (author only) to a tombstone; then every action on it, a repeated delete too, is not found", async () => {
    const [a, b] = [await user("del"), await user("del")];
    const m = await sendIn(a, "soon gone");
    ok(await b.socket.emitWithAck("reaction:add", { id: m.id, emoji: "🎉" }));
    expect(refusal(await b.socket.emitWithAck("message:delete", { id: m.id }))).toBe("forbidden");
    const seen = nextEvent(b.socket, "message:updated");
    const gone = ok(await a.socket.emitWithAck("message:delete", { id: m.id }));
    expect(gone).toMatchObject({ id: m.id, room: m.room, username: a.name, timestamp: m.timestamp });
    expect(gone).toMatchObject({ content: "", deleted: true, reactions: [] });
    expect(await seen).toEqual(gone);
    // SPEC.md: acting on a deleted message is not_found (the "acks the same message" yields to it)
    expect(refusal(await a.socket.emitWithAck("message:delete", { id: m.id }))).toBe("not_found");
    expect(refusal(await b.socket.emitWithAck("message:delete", { id: m.id }))).toBe("not_found");
    expect(refusal(await a.socket.emitWithAck("message:edit", { id: m.id, content: "back" }))).toBe("not_found");
    expect(refusal(await b.socket.emitWithAck("reaction:add", { id: m.id, emoji: "🎉" }))).toBe("not_found");
    expect(refusal(await b.socket.emitWithAck("reaction:remove", { id: m.id, emoji: "🎉" }))).toBe("not_found");
  });

  it("a non-member can neither act nor hear: not_found, and no message:updated reaches them", async () => {
    const [a, outsider] = [await user("mem"), await user("mem")];
    const room = await privateRoomOf(a);
    const m = await sendIn(a, "members only", { room });
    const overheard = record(outsider.socket, "message:updated");
    expect(refusal(await outsider.socket.emitWithAck("reaction:add", { id: m.id, emoji: "👀" }))).toBe("not_found");
    expect(refusal(await outsider.socket.emitWithAck("message:delete", { id: m.id }))).toBe("not_found");
    ok(await a.socket.emitWithAck("message:edit", { id: m.id, content: "still members only" }));
    ok(await a.socket.emitWithAck("reaction:add", { id: m.id, emoji: "🔒" }));
    const marker = await markerEdit(a);
    await waitUntil(() => overheard.some((u) => u.id === marker.id), 5000, "the marker's update");
    expect(overheard).toEqual([marker]);
  });

  it("seq strictly increases across creates and changes, in commit order", async () => {
    const a = await user("seq");
    const seqs: number[] = [];
    const m = await sendIn(a, "one");
    seqs.push(m.seq);
    seqs.push(ok(await a.socket.emitWithAck("message:edit", { id: m.id, content: "two" })).seq);
    seqs.push((await sendIn(a, "three")).seq);
    seqs.push(ok(await a.socket.emitWithAck("reaction:add", { id: m.id, emoji: "1️⃣" })).seq);
    seqs.push(ok(await a.socket.emitWithAck("reaction:remove", { id: m.id, emoji: "1️⃣" })).seq);
    seqs.push(ok(await a.socket.emitWithAck("message:delete", { id: m.id })).seq);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!);
    const [unique] = await dbAll<{ n: number; d: number }>(
      server,
      `SELECT COUNT(*) AS n, COUNT(DISTINCT "seq") AS d FROM "Message"`,
    );
    expect(unique).toBeDefined();
    expect(Number(unique!.d)).toBe(Number(unique!.n));
  });
});

describe("replies", () => {
  it('carry the parent\'s current content, cut to 140 characters, and "" once it is deleted', async () => {
    const [a, b] = [await user("rep"), await user("rep")];
    const parent = await sendIn(a, "😀".repeat(150));
    const reply = await sendIn(b, "answer", { replyTo: parent.id });
    expect(reply.replyTo).toEqual({ id: parent.id, username: a.name, content: "😀".repeat(140), botName: null });
    ok(await a.socket.emitWithAck("message:edit", { id: parent.id, content: "short now" }));
    const page = await rest("GET", `/api/messages?around=${reply.id}&limit=3`, b.token);
    const fresh = (page.body as unknown as { messages: Message[] }).messages.find((m) => m.id === reply.id);
    expect(fresh?.replyTo).toEqual({ id: parent.id, username: a.name, content: "short now", botName: null });
    ok(await a.socket.emitWithAck("message:delete", { id: parent.id }));
    const after = await b.socket.emitWithAck("messages:page", { around: reply.id, limit: 1 });
    expect(after.ok && after.messages).toEqual([{ ...reply, replyTo: { ...reply.replyTo, content: "" } }]);
    expect(refusal(await b.socket.emitWithAck("message:send", { content: "late", replyTo: parent.id }))).toBe(
      "not_found",
    );
  });

  it("must answer a message in the same room that exists", async () => {
    const a = await user("rr");
    const room = await privateRoomOf(a);
    const elsewhere = await sendIn(a, "in the private room", { room });
    expect(refusal(await a.socket.emitWithAck("message:send", { content: "x", replyTo: elsewhere.id }))).toBe(
      "invalid_input",
    );
    expect(refusal(await a.socket.emitWithAck("message:send", { content: "x", replyTo: 999_999 }))).toBe("not_found");
    const stranger = await user("rr");
    expect(refusal(await stranger.socket.emitWithAck("message:send", { content: "x", replyTo: elsewhere.id }))).toBe(
      "not_found",
    );
  });
});

describe("around", () => {
  it("pages half before the message, the message, and the rest after", async () => {
    const a = await user("ar");
    const room = await privateRoomOf(a);
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) ids.push((await sendIn(a, `m${i}`, { room })).id);
    const page = await a.socket.emitWithAck("messages:page", { room, around: ids[6]!, limit: 5 });
    expect(page.ok && page.messages.map((m) => m.id)).toEqual(ids.slice(4, 9));
    const start = await rest("GET", `/api/messages?room=${room}&around=${ids[0]!}&limit=5`, a.token);
    expect((start.body as unknown as { messages: Message[] }).messages.map((m) => m.id)).toEqual(ids.slice(0, 5));
  });
});

describe("message actions over REST", () => {
  it("PATCH, PUT/DELETE reactions and DELETE answer {message}; refusals map to 401/403/404/422", async () => {
    const [a, b] = [await user("http"), await user("http")];
    const m = await sendIn(a, "over http");
    const seen = record(b.socket, "message:updated");
    const edited = await rest("PATCH", `/api/messages/${m.id}`, a.token, { content: "edited over http" });
    expect(edited).toMatchObject({ status: 200, body: { message: { id: m.id, content: "edited over http" } } });
    const emoji = encodeURIComponent("❤️");
    const reacted = await rest("PUT", `/api/messages/${m.id}/reactions/${emoji}`, b.token);
    expect(reacted.body.message.reactions).toEqual([{ emoji: "❤️", count: 1, users: [b.name] }]);
    const unreacted = await rest("DELETE", `/api/messages/${m.id}/reactions/${emoji}`, b.token);
    expect(unreacted.body.message.reactions).toEqual([]);
    expect((await rest("PATCH", `/api/messages/${m.id}`, b.token, { content: "no" })).status).toBe(403);
    expect((await rest("DELETE", `/api/messages/${m.id}`, b.token)).status).toBe(403);
    expect((await rest("PATCH", `/api/messages/${m.id}`, a.token, { content: "" })).status).toBe(422);
    expect((await rest("PUT", `/api/messages/${m.id}/reactions/a`, b.token)).status).toBe(422);
    expect(await rest("PUT", `/api/messages/${m.id}/reactions/%E0%A4%A`, b.token)).toEqual({
      status: 422,
      body: { detail: "emoji is not validly percent-encoded" },
    });
    expect((await rest("PATCH", `/api/messages/abc`, a.token, { content: "x" })).status).toBe(422);
    expect((await rest("DELETE", `/api/messages/999999`, a.token)).status).toBe(404);
    expect((await rest("DELETE", `/api/messages/${m.id}`, "not-a-token")).status).toBe(401);
    const foreign = { origin: "https://evil.example" };
    expect((await rest("DELETE", `/api/messages/${m.id}`, a.token, undefined, foreign)).status).toBe(403);
    const deleted = await rest("DELETE", `/api/messages/${m.id}`, a.token);
    expect(deleted).toMatchObject({ status: 200, body: { message: { deleted: true, content: "" } } });
    expect((await rest("DELETE", `/api/messages/${m.id}`, a.token)).status).toBe(404);
    expect((await rest("PATCH", `/api/messages/${m.id}`, a.token, { content: "back" })).status).toBe(404);
    await waitUntil(() => seen.length === 4, 3000, "four updates");
    expect(seen.map((u) => u.seq)).toEqual([...seen.map((u) => u.seq)].sort((x, y) => x - y));
  });
});

describe("message actions over /ws, and across transports", () => {
  it("edit/delete/react/unreact frames act; refusals are error frames and the socket stays open", async () => {
    const [a, b] = [await user("ws"), await user("ws")];
    const wsA = await openWs(server.url, { token: a.token });
    await wsA.nextOf("history");
    const m = await sendIn(a, "ws target");
    await wsA.nextOf("message");
    wsA.sendJson({ type: "edit", id: m.id, content: "edited by frame" });
    expect(await wsA.nextOf("updated")).toMatchObject({ type: "updated", id: m.id, content: "edited by frame" });
    wsA.sendJson({ type: "react", id: m.id, emoji: "a" });
    expect((await wsA.nextOf("error")).detail).toBe("emoji must be a single emoji");
    wsA.sendJson({ type: "edit", id: 999_999, content: "nothing" });
    expect((await wsA.nextOf("error")).detail).toMatch(/No message/);
    // a /ws react reaches socket.io as message:updated
    const seenByB = nextEvent(b.socket, "message:updated");
    wsA.sendJson({ type: "react", id: m.id, emoji: "🚀" });
    expect((await seenByB).reactions).toEqual([{ emoji: "🚀", count: 1, users: [a.name] }]);
    wsA.sendJson({ type: "unreact", id: m.id, emoji: "🚀" });
    expect((await wsA.nextOf("updated")).reactions).toEqual([{ emoji: "🚀", count: 1, users: [a.name] }]);
    expect((await wsA.nextOf("updated")).reactions).toEqual([]);
    wsA.sendJson({ type: "delete", id: m.id });
    expect(await wsA.nextOf("updated")).toMatchObject({ id: m.id, deleted: true });
    wsA.sendJson({ type: "delete", id: m.id });
    expect((await wsA.nextOf("error")).detail).toBe(`No message ${m.id}`);
    wsA.sendJson({ content: "plain frames still send" });
    expect(await wsA.nextOf("message")).toMatchObject({ content: "plain frames still send" });
    await wsA.close();
  });

  it("an edit over socket.io reaches a /ws client of the room as `updated`, and not a non-member's", async () => {
    const [a, b, outsider] = [await user("x"), await user("x"), await user("x")];
    const room = await privateRoomOf(a);
    expect(refusal(await a.socket.emitWithAck("room:invite", { room, username: b.name }))).toBe("ok");
    const wsB = await openWs(server.url, { token: b.token });
    const wsOut = await openWs(server.url, { token: outsider.token });
    await Promise.all([wsB.nextOf("history"), wsOut.nextOf("history")]);
    const m = await sendIn(a, "crossing", { room });
    const edited = ok(await a.socket.emitWithAck("message:edit", { id: m.id, content: "crossed" }));
    expect(await wsB.nextOf("updated")).toEqual({ type: "updated", ...edited });
    const marker = await markerEdit(a);
    expect(await wsOut.nextOf("updated")).toEqual({ type: "updated", ...marker });
    expect(wsOut.frames.filter((f) => f.type === "updated")).toEqual([{ type: "updated", ...marker }]);
    await Promise.all([wsB.close(), wsOut.close()]);
  });
});
