// Two real server processes sharing one database and one Redis behave as one: messages in rooms and DMs,
// typing and read markers reach sockets of either transport on the other process; joins and leaves reach
// every process's caches and socket rooms; a logout, a session ended from the list, a revoked API token, a
// password change or a deactivation on one process closes that session's or user's sockets on the other, on
// both transports; a profile changed on one process is announced and served by the other.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CreatedApiToken, SessionInfo, UsersResponse } from "@/lib/protocol";
import { startCluster, type TestCluster } from "../helpers/cluster";
import { connectSocket, registerAndLogin } from "../helpers/remote";
import { ackedMessage, record, send, waitConnected, waitDisconnect, waitUntil } from "../helpers/socket-utils";
import { nextEvent, type TestSocket } from "../helpers/test-server";
import { openWs, type WsClient } from "../helpers/ws-client";

let cluster: TestCluster;
let a: string;
let b: string;
const sockets: TestSocket[] = [];
const wsClients: WsClient[] = [];

beforeAll(async () => {
  cluster = await startCluster(2);
  [a, b] = cluster.servers.map((s) => s.url) as [string, string];
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await Promise.all(wsClients.map((w) => w.close()));
  await cluster?.close();
});

async function connected(url: string, token: string): Promise<TestSocket> {
  const socket = connectSocket(url, { token });
  sockets.push(socket);
  const history = nextEvent(socket, "history");
  await waitConnected(socket);
  await history;
  return socket;
}

async function ws(url: string, token: string): Promise<WsClient> {
  const client = await openWs(url, { token });
  wsClients.push(client);
  await client.nextOf("history");
  return client;
}

const authed = (token: string) => ({ authorization: `Bearer ${token}`, "content-type": "application/json" });
const post = (url: string, token: string, pathname: string, body: unknown) =>
  fetch(url + pathname, { method: "POST", headers: authed(token), body: JSON.stringify(body) });

describe("two processes, one chat", () => {
  it("delivers room messages and DMs across processes, to socket.io and /ws", async () => {
    // alice first: the first account is the admin, which a later test relies on (registered together, any
    // of the three could win that race, and on PostgreSQL sometimes bob or carol did)
    const alice = await registerAndLogin(a, "alice");
    const [bob, carol] = await Promise.all(["bob", "carol"].map((u) => registerAndLogin(a, u)));
    const aliceA = await connected(a, alice);
    const bobB = await connected(b, bob!);
    const carolWs = await ws(b, carol!);

    const onBob = nextEvent(bobB, "message:new");
    const echo = nextEvent(aliceA, "message:new");
    const sent = ackedMessage(await send(aliceA, { content: "hello from A", clientId: crypto.randomUUID() }));
    expect(await onBob).toEqual(sent);
    expect(await echo).toEqual(sent); // the sender's own sockets get it too (the ack may come first)
    expect(await carolWs.next((f) => f.type === "message" && f.id === sent.id)).toMatchObject({
      content: "hello from A",
    });

    // a /ws frame on B reaches socket.io on A
    const onAlice = nextEvent(aliceA, "message:new");
    carolWs.sendJson({ content: "hello from /ws on B" });
    expect(await onAlice).toMatchObject({ username: "carol", content: "hello from /ws on B" });

    // a DM from B opens the room on both processes; it reaches A, and nobody else
    const dmOnAlice = nextEvent(aliceA, "message:new");
    const dm = ackedMessage(await send(bobB, { to: "alice", content: "psst", clientId: crypto.randomUUID() }));
    expect(await dmOnAlice).toEqual(dm);
    const carolFrames = carolWs.frames.length;
    const marker = ackedMessage(await send(aliceA, { content: "marker", clientId: crypto.randomUUID() }));
    await carolWs.next((f) => f.type === "message" && f.id === marker.id);
    expect(carolWs.frames.slice(carolFrames).some((f) => f.type === "message" && f.id === dm.id)).toBe(false);
  });

  it("carries joins, leaves, typing and read markers to the other process", async () => {
    const [dave, erin] = await Promise.all(["dave", "erin"].map((u) => registerAndLogin(a, u)));
    const daveA = await connected(a, dave!);
    const erinB = await connected(b, erin!);
    const erinOnA = await connected(a, erin!); // a second socket of erin's, on the other process

    expect(await daveA.emitWithAck("room:create", { name: "ops" })).toMatchObject({ ok: true });
    const joined = nextEvent(erinB, "room:joined");
    expect(await daveA.emitWithAck("room:invite", { room: "ops", username: "erin" })).toEqual({ ok: true });
    expect(await joined).toMatchObject({ name: "ops" });

    // erin's socket on B is now in #ops: a message sent on A reaches it
    const inOps = nextEvent(erinB, "message:new");
    const m = ackedMessage(await send(daveA, { room: "ops", content: "welcome", clientId: crypto.randomUUID() }));
    expect(await inOps).toEqual(m);

    // typing on B reaches A (through the adapter), not the typist's own sockets
    const typing = nextEvent(daveA, "typing");
    erinB.emit("typing", { room: "ops" });
    expect(await typing).toEqual({ room: "ops", username: "erin" });

    // a read marker set on B reaches erin's socket on A
    const read = nextEvent(erinOnA, "room:read");
    expect(await erinB.emitWithAck("room:read", { room: "ops", lastReadId: m.id })).toMatchObject({ ok: true });
    expect(await read).toMatchObject({ room: "ops", lastReadId: m.id });

    // erin sends to #ops through A (A now trusts her membership for a while), then leaves on B: A's
    // membership cache drops her at once, so A refuses her next message to #ops
    ackedMessage(await send(erinOnA, { room: "ops", content: "on my way out", clientId: crypto.randomUUID() }));
    const left = nextEvent(erinOnA, "room:left");
    expect(await erinB.emitWithAck("room:leave", { room: "ops" })).toEqual({ ok: true });
    expect(await left).toEqual({ room: "ops" });
    const refused = await send(erinOnA, { room: "ops", content: "still here?", clientId: crypto.randomUUID() });
    expect(refused).toMatchObject({ ok: false, error: { code: "forbidden" } });
    // and A's socket of hers left the socket.io room: dave's next message reaches it no more
    const erinAFrom = record(erinOnA, "message:new");
    const after = ackedMessage(await send(daveA, { room: "ops", content: "gone", clientId: crypto.randomUUID() }));
    const general = ackedMessage(await send(daveA, { content: "barrier", clientId: crypto.randomUUID() }));
    await waitUntil(() => erinAFrom.some((x) => x.id === general.id), 10_000, "the barrier message");
    expect(erinAFrom.map((x) => x.id)).not.toContain(after.id);
  });

  it("closes a session's sockets on every process when it logs out on one", async () => {
    const frank = await registerAndLogin(a, "frank");
    const frankB = await connected(b, frank);
    const frankWsB = await ws(b, frank);
    const gone = waitDisconnect(frankB);
    const res = await fetch(`${a}/logout`, { method: "POST", headers: authed(frank) });
    expect(res.status).toBe(200);
    expect(await gone).toBe("io server disconnect");
    expect((await frankWsB.closed).code).toBe(1008);
  });

  it("ends one session from another process, revokes an API token's sockets elsewhere, and relays profiles", async () => {
    const ivan = await registerAndLogin(a, "ivan");
    const ivanPhone = await registerAndLogin(a, "ivan");
    const phoneB = await connected(b, ivanPhone);
    const phoneGone = waitDisconnect(phoneB);
    // ivan, signed in on A, ends his phone's session (which is on B) from the sessions list
    const list = (await (await fetch(`${a}/api/me/sessions`, { headers: authed(ivan) })).json()) as {
      sessions: SessionInfo[];
    };
    const phone = list.sessions.find((x) => !x.current)!;
    const ended = await fetch(`${a}/api/me/sessions/${phone.id}`, { method: "DELETE", headers: authed(ivan) });
    expect(ended.status).toBe(200);
    expect(await phoneGone).toBe("io server disconnect");

    // a script's API token, made on A, used on B (both transports), revoked on A
    const made = await post(a, ivan, "/api/me/tokens", { name: "deploy bot" });
    expect(made.status).toBe(201);
    const { token, id } = (await made.json()) as CreatedApiToken;
    const botB = await connected(b, token);
    const botWsB = await ws(b, token);
    const botGone = waitDisconnect(botB);
    const revoked = await fetch(`${a}/api/me/tokens/${id}`, { method: "DELETE", headers: authed(ivan) });
    expect(revoked.status).toBe(200);
    expect(await botGone).toBe("io server disconnect");
    expect((await botWsB.closed).code).toBe(1008);

    // a profile changed on A reaches sockets on B, and B answers with it
    const judy = await registerAndLogin(b, "judy");
    const judyB = await connected(b, judy);
    const updates = record(judyB, "user:updated");
    const patched = await fetch(`${a}/api/me`, {
      method: "PATCH",
      headers: authed(ivan),
      body: JSON.stringify({ displayName: "Ivan the Tester" }),
    });
    expect(patched.status).toBe(200);
    await waitUntil(() => updates.some((u) => u.username === "ivan" && u.displayName === "Ivan the Tester"));
    const onB = (await (await fetch(`${b}/api/users`, { headers: authed(judy) })).json()) as UsersResponse;
    expect(onB.users.find((u) => u.username === "ivan")?.displayName).toBe("Ivan the Tester");
  });

  it("closes every socket of a user elsewhere on a password change and on deactivation", async () => {
    const admin = await registerAndLogin(a, "alice"); // the first account: the admin
    const grace = await registerAndLogin(a, "grace");
    const graceOther = await registerAndLogin(a, "grace");
    const graceB = await connected(b, graceOther);
    const gone = waitDisconnect(graceB);
    const change = await post(a, grace, "/api/me/password", {
      current: "correct horse battery",
      password: "a new horse battery",
    });
    expect(change.status).toBe(200);
    expect(await gone).toBe("io server disconnect");

    const heidi = await registerAndLogin(b, "heidi");
    const heidiWsB = await ws(b, heidi);
    const deactivated = await post(a, admin, "/api/admin/users/heidi/deactivate", {});
    expect(deactivated.status).toBe(200);
    expect((await heidiWsB.closed).code).toBe(1008);
  });
});
