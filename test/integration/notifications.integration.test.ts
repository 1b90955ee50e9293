// GET / PUT /api/me/notifications (SPEC.md "Mentions and notifications"): defaults, validation, overrides.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotificationSettings } from "@/lib/protocol";
import { startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

let n = 0;
const call = async (token: string, method: string, body?: unknown, raw?: string) => {
  const res = await fetch(`${server.url}/api/me/notifications`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body !== undefined || raw !== undefined ? { body: raw ?? JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as NotificationSettings & { detail?: string } };
};

describe("notification settings", () => {
  it("start at mentions and DMs, with no overrides; need a session", async () => {
    const token = await server.token(`ns${++n}`);
    expect(await call(token, "GET")).toEqual({ status: 200, body: { level: "mentions", rooms: {} } });
    expect((await fetch(`${server.url}/api/me/notifications`)).status).toBe(401);
  });

  it("PUT replaces them and they are kept; a room at the user's own level is dropped", async () => {
    const name = `nk${++n}`;
    const token = await server.token(name);
    const other = await server.token(`nko${n}`);
    const dm = await server.connect({ token }).emitWithAck("message:send", { to: `nko${n}`, content: "hi" });
    expect(dm.ok).toBe(true);
    const dmRoom = dm.ok ? dm.message.room : "";
    const put = await call(token, "PUT", { level: "all", rooms: { GENERAL: "none", [dmRoom]: "all" } });
    expect(put).toEqual({ status: 200, body: { level: "all", rooms: { general: "none" } } });
    expect((await call(token, "GET")).body).toEqual({ level: "all", rooms: { general: "none" } });
    // the other user's settings are their own
    expect((await call(other, "GET")).body).toEqual({ level: "mentions", rooms: {} });
    expect((await call(token, "PUT", { level: "none", rooms: { [dmRoom]: "mentions" } })).body).toEqual({
      level: "none",
      rooms: { [dmRoom]: "mentions" },
    });
    expect((await call(token, "PUT", { level: "none", rooms: {} })).body).toEqual({ level: "none", rooms: {} });
  });

  it("refuse bad input with a clear 422 (or 400 for broken JSON) and change nothing", async () => {
    const token = await server.token(`nb${++n}`);
    await call(token, "PUT", { level: "all", rooms: { general: "none" } });
    const cases: [unknown, RegExp][] = [
      [{ level: "loud", rooms: {} }, /level must be one of all, mentions, none/],
      [{ level: "all" }, /rooms/],
      [{ level: "all", rooms: { general: "sometimes" } }, /level must be one of/],
      [{ level: "all", rooms: { "no-such-room": "none" } }, /not in a room named no-such-room/],
      [{ level: "all", rooms: [] }, /rooms/],
      ["all", /body must be a JSON object/],
    ];
    for (const [body, detail] of cases) {
      const res = await call(token, "PUT", body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.detail).toMatch(detail);
    }
    expect((await call(token, "PUT", undefined, "{not json")).status).toBe(400);
    expect((await call(token, "GET")).body).toEqual({ level: "all", rooms: { general: "none" } });
  });

  it("refuse a private room the user is not in, as unknown", async () => {
    const owner = server.connect({ token: await server.token(`np${++n}`) });
    const room = `secret${n}`;
    expect((await owner.emitWithAck("room:create", { name: room, private: true })).ok).toBe(true);
    const token = await server.token(`npo${n}`);
    const res = await call(token, "PUT", { level: "mentions", rooms: { [room]: "all" } });
    expect(res).toMatchObject({ status: 422, body: { detail: `rooms: you are not in a room named ${room}` } });
  });

  it("list only rooms the user is still in, so GET's answer can always be PUT back", async () => {
    const name = `nl${++n}`;
    const token = await server.token(name);
    const socket = server.connect({ token });
    const room = `left${n}`;
    expect((await socket.emitWithAck("room:create", { name: room })).ok).toBe(true);
    await call(token, "PUT", { level: "mentions", rooms: { [room]: "none" } });
    expect((await call(token, "GET")).body).toEqual({ level: "mentions", rooms: { [room]: "none" } });
    expect((await socket.emitWithAck("room:leave", { room })).ok).toBe(true);
    expect((await call(token, "GET")).body).toEqual({ level: "mentions", rooms: {} });
    // back in the room, its override applies again (kept while away, until the next save)
    expect((await socket.emitWithAck("room:join", { room })).ok).toBe(true);
    expect((await call(token, "GET")).body).toEqual({ level: "mentions", rooms: { [room]: "none" } });
    expect((await socket.emitWithAck("room:leave", { room })).ok).toBe(true);
    const after = await call(token, "GET");
    expect((await call(token, "PUT", { ...after.body, level: "all" })).body).toEqual({ level: "all", rooms: {} });
  });
});
