// SPEC "Accounts, sessions, administration", the session half: POST /api/me/password (the current password
// required, every other session revoked with its sockets closed within a second on both transports, this one
// kept), GET /api/me/sessions and DELETE /api/me/sessions[/<id>].
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE, type SessionInfo, type WsServerFrame } from "@/lib/protocol";
import { getMessages } from "../helpers/http";
import { connectOutcome, ioFrom, postFrom, settlesWithin } from "../helpers/security";
import { ackedMessage, record, send, waitUntil } from "../helpers/socket-utils";
import { startTestServer, type TestServer, type TestSocket } from "../helpers/test-server";
import { openWs, refusedStatus, type WsClient } from "../helpers/ws-client";

const PASSWORD = "correct horse battery";
const NEW_PASSWORD = "a much better passphrase";
const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
let server: TestServer;
const sockets: TestSocket[] = [];
const wsClients: WsClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await Promise.all(wsClients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await server.close();
});

async function login(username: string, userAgent?: string, password = PASSWORD): Promise<string> {
  const res = await postFrom(
    server.url,
    "/login",
    { username, password },
    {
      headers: userAgent ? { "user-agent": userAgent } : {},
    },
  );
  expect(res.status).toBe(200);
  return res.json<{ token: string }>().token;
}

async function registered(username: string): Promise<void> {
  expect((await postFrom(server.url, "/register", { username, password: PASSWORD })).status).toBe(200);
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function changePassword(token: string, payload: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/api/me/password`, {
    method: "POST",
    headers: { ...bearer(token), "content-type": "application/json", ...headers },
    body: JSON.stringify(payload),
  });
}

async function sessionsOf(token: string): Promise<SessionInfo[]> {
  const res = await fetch(`${server.url}/api/me/sessions`, { headers: bearer(token) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { sessions: SessionInfo[] }).sessions;
}

const revoke = (token: string, id: number | string = "") =>
  fetch(`${server.url}/api/me/sessions${id === "" ? "" : `/${id}`}`, { method: "DELETE", headers: bearer(token) });

/** A socket.io socket (websocket or polling) and a /ws socket on `token`, connected, with promises of their end. */
async function openSockets(token: string) {
  const websocket = ioFrom(server.url, undefined, { transports: ["websocket"], auth: { token } });
  const polling = ioFrom(server.url, undefined, {
    transports: ["polling"],
    extraHeaders: { cookie: `${SESSION_COOKIE}=${token}` },
  });
  sockets.push(websocket, polling);
  for (const s of [websocket, polling]) expect(await connectOutcome(s)).toBe("connected");
  const ws = await openWs(server.url, { token });
  wsClients.push(ws);
  await ws.nextOf("history");
  const ended = [
    new Promise((r) => websocket.once("disconnect", r)),
    new Promise((r) => polling.once("disconnect", r)),
    ws.closed,
  ];
  return { websocket, polling, ws, ended };
}

async function allEndWithin(ended: Promise<unknown>[], started: number): Promise<boolean[]> {
  return Promise.all(ended.map((p) => settlesWithin(p, 1000 - (Date.now() - started))));
}

describe("POST /api/me/password", () => {
  it("refuses a wrong current password with 403 and changes nothing", async () => {
    await registered("pw_wrong");
    const token = await login("pw_wrong");
    const res = await changePassword(token, { current: "not my password", password: NEW_PASSWORD });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/current password is wrong/);
    expect((await getMessages(server.url, {}, { token })).status).toBe(200);
    await login("pw_wrong"); // the old password still works
  });

  it.each([
    ["a new password under 8 bytes", { current: PASSWORD, password: "short" }, 422],
    ["a new password over 72 bytes", { current: PASSWORD, password: "é".repeat(37) }, 422],
    ["no current password", { password: NEW_PASSWORD }, 422],
  ])("refuses %s", async (_what, payload, status) => {
    const token = await server.token("pw_invalid");
    expect((await changePassword(token, payload)).status).toBe(status);
  });

  it("is 401 without a session and 403 from a foreign page", async () => {
    const anonymous = await fetch(`${server.url}/api/me/password`, {
      method: "POST",
      body: JSON.stringify({ current: PASSWORD, password: NEW_PASSWORD }),
    });
    expect(anonymous.status).toBe(401);
    const token = await server.token("pw_origin");
    const foreign = await changePassword(
      token,
      { current: PASSWORD, password: NEW_PASSWORD },
      { origin: "https://evil.example" },
    );
    expect(foreign.status).toBe(403);
  });

  it("revokes every other session: old tokens get 401, their sockets on both transports close within 1 s; this one stays", async () => {
    await registered("pw_changer");
    const keep = await login("pw_changer");
    const [otherA, otherB] = [await login("pw_changer"), await login("pw_changer")];
    const kept = await openSockets(keep);
    const a = await openSockets(otherA);
    const b = await openSockets(otherB);
    let keptDropped = false;
    kept.websocket.on("disconnect", () => (keptDropped = true));

    const started = Date.now();
    const res = await changePassword(keep, { current: PASSWORD, password: NEW_PASSWORD });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ revoked: 2 });
    expect(await allEndWithin([...a.ended, ...b.ended], started)).toEqual([true, true, true, true, true, true]);
    expect((await a.ws.closed).code).toBe(1008);

    for (const old of [otherA, otherB]) {
      expect((await getMessages(server.url, {}, { token: old })).status).toBe(401);
      expect(await refusedStatus(server.url, { token: old })).toBe(401);
      const again = ioFrom(server.url, undefined, { transports: ["websocket"], auth: { token: old } });
      sockets.push(again);
      expect(await connectOutcome(again)).toBe("connect_error: unauthorized");
    }

    // this session and its sockets carry on
    expect((await getMessages(server.url, {}, { token: keep })).status).toBe(200);
    const seen = record(kept.websocket, "message:new");
    const sent = ackedMessage(await send(kept.websocket, { content: "still here after the change" }));
    await waitUntil(() => seen.some((m) => m.id === sent.id), 2000, "own message:new");
    await kept.ws.next((f: WsServerFrame) => f.type === "message" && f.content === "still here after the change");
    expect(keptDropped).toBe(false);

    // the new password logs in, the old one no longer does
    await login("pw_changer", undefined, NEW_PASSWORD);
    const old = await postFrom(server.url, "/login", { username: "pw_changer", password: PASSWORD });
    expect(old.status).toBe(401);
  });
});

describe("GET /api/me/sessions", () => {
  it("lists the user's own sessions: which is this one, the device from the user agent, created and last used", async () => {
    await registered("many_devices");
    const phone = await login("many_devices", SAFARI_IPHONE);
    const laptop = await login("many_devices", FIREFOX);
    await server.token("someone_else");
    const sessions = await sessionsOf(laptop);
    expect(sessions).toHaveLength(2);
    const current = sessions.find((s) => s.current)!;
    expect(current).toMatchObject({ device: "Firefox on Linux", userAgent: FIREFOX });
    const other = sessions.find((s) => !s.current)!;
    expect(other.device).toBe("Mobile Safari on iOS");
    for (const s of sessions) {
      expect(Number.isNaN(Date.parse(s.createdAt))).toBe(false);
      expect(Number.isNaN(Date.parse(s.lastUsedAt))).toBe(false);
    }
    // seen from the phone, the phone is the current one
    expect((await sessionsOf(phone)).find((s) => s.current)?.device).toBe("Mobile Safari on iOS");
  });

  it("is 401 without a session", async () => {
    expect((await fetch(`${server.url}/api/me/sessions`)).status).toBe(401);
  });
});

describe("DELETE /api/me/sessions/<id>", () => {
  it("revokes that session: its token gets 401 and its sockets close within 1 s; the others stay", async () => {
    await registered("revoker");
    const mine = await login("revoker", FIREFOX);
    const other = await login("revoker", SAFARI_IPHONE);
    const third = await login("revoker");
    const target = (await sessionsOf(mine)).find((s) => s.device === "Mobile Safari on iOS")!;
    const doomed = await openSockets(other);
    const spared = await openSockets(third);
    let sparedDropped = false;
    spared.websocket.on("disconnect", () => (sparedDropped = true));

    const started = Date.now();
    const res = await revoke(mine, target.id);
    expect(res.status).toBe(200);
    expect(await allEndWithin(doomed.ended, started)).toEqual([true, true, true]);
    expect((await getMessages(server.url, {}, { token: other })).status).toBe(401);
    expect((await getMessages(server.url, {}, { token: third })).status).toBe(200);
    expect((await sessionsOf(mine)).map((s) => s.id)).not.toContain(target.id);
    // a marker on the spared socket: had it been closed, it could not be acked
    ackedMessage(await send(spared.websocket, { content: "spared" }));
    expect(sparedDropped).toBe(false);
  });

  it("is 404 for another user's session (which stays), an unknown id, or one that is not a number", async () => {
    await registered("victim");
    const victimToken = await login("victim");
    const victimSession = (await sessionsOf(victimToken))[0]!;
    const attacker = await server.token("attacker");
    expect((await revoke(attacker, victimSession.id)).status).toBe(404);
    expect((await getMessages(server.url, {}, { token: victimToken })).status).toBe(200);
    expect((await revoke(attacker, 99_999_999)).status).toBe(404);
    expect((await revoke(attacker, "abc")).status).toBe(404);
    expect((await revoke(attacker, "-1")).status).toBe(404);
  });

  it("DELETE /api/me/sessions revokes every other session and keeps this one", async () => {
    await registered("sweeper");
    const mine = await login("sweeper");
    const others = [await login("sweeper"), await login("sweeper")];
    const open = await openSockets(others[0]!);
    const started = Date.now();
    const res = await revoke(mine);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ revoked: 2 });
    expect(await allEndWithin(open.ended, started)).toEqual([true, true, true]);
    for (const t of others) expect((await getMessages(server.url, {}, { token: t })).status).toBe(401);
    expect((await sessionsOf(mine)).map((s) => s.current)).toEqual([true]);
  });

  it("revoking this session itself is a logout: its token stops working", async () => {
    const token = await server.token("self_revoker");
    const own = (await sessionsOf(token))[0]!;
    expect((await revoke(token, own.id)).status).toBe(200);
    expect((await getMessages(server.url, {}, { token })).status).toBe(401);
  });
});
