// Personal access tokens (SPEC.md "Integrations"): made with a login session, shown once, listed with their
// last use, usable as Bearer on REST, socket.io and /ws, alive after logout, never a cookie session, unable
// to make more tokens; revoked → 401 everywhere and their sockets closed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiTokensResponseSchema, createdApiTokenSchema, SESSION_COOKIE } from "@/lib/protocol";
import { body } from "../helpers/http";
import { waitConnected, waitConnectError, waitDisconnect } from "../helpers/socket-utils";
import { startTestServer, nextEvent, type TestServer } from "../helpers/test-server";
import { openWs, refusedStatus } from "../helpers/ws-client";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const get = (path: string, headers: Record<string, string>) => fetch(server.url + path, { headers });

async function makeToken(session: string, name: string) {
  const res = await server.post("/api/me/tokens", { name }, auth(session));
  expect(res.status).toBe(201);
  return createdApiTokenSchema.parse(await res.json());
}

describe("personal access tokens", () => {
  it("are made once, listed with their last use, and work on REST, socket.io and /ws after logout", async () => {
    const session = await server.token("tok_alice");
    const created = await makeToken(session, "backup script");
    expect(created.token).toMatch(/^cbx_pat_[A-Za-z0-9_-]{43}$/);

    const logout = await server.post("/logout", {}, auth(session));
    expect(logout.status).toBe(200);
    expect((await get("/api/rooms", auth(session))).status).toBe(401);

    // REST
    const rooms = await get("/api/rooms", auth(created.token));
    expect(rooms.status).toBe(200);
    // socket.io
    const socket = server.connect({ token: created.token });
    await waitConnected(socket);
    const ack = await socket.emitWithAck("message:send", { content: "from a token" });
    expect(ack.ok && ack.message.username).toBe("tok_alice");
    // /ws
    const ws = await openWs(server.url, { token: created.token });
    await ws.nextOf("history");
    ws.sendJson({ content: "over ws with a token" });
    expect((await ws.nextOf("message")).content).toBe("over ws with a token");
    await ws.close();

    const listed = apiTokensResponseSchema.parse(await body(await get("/api/me/tokens", auth(created.token))));
    expect(listed.tokens).toHaveLength(1);
    expect(listed.tokens[0]).toMatchObject({ id: created.id, name: "backup script", current: true });
    expect(Date.parse(listed.tokens[0]?.lastUsedAt ?? "")).toBeGreaterThan(0);
    expect(JSON.stringify(listed)).not.toContain(created.token);
    socket.disconnect();
  });

  it("cannot make other tokens, log out, change the password or end sessions, and never count as a cookie session", async () => {
    const session = await server.token("tok_bob");
    const { token } = await makeToken(session, "ci");
    const again = await server.post("/api/me/tokens", { name: "another" }, auth(token));
    expect(again.status).toBe(403);
    expect((await body(again)).detail).toMatch(/API token cannot create API tokens/);
    expect((await server.post("/logout", {}, auth(token))).status).toBe(403);
    // nor change the password or sign the owner's sessions out
    const password = await server.post(
      "/api/me/password",
      { current: "correct horse battery", password: "another horse battery" },
      auth(token),
    );
    expect(password.status).toBe(403);
    expect((await body(password)).detail).toMatch(/API token cannot change the password/);
    const signOut = await fetch(`${server.url}/api/me/sessions`, { method: "DELETE", headers: auth(token) });
    expect(signOut.status).toBe(403);
    expect((await get("/api/rooms", auth(session))).status).toBe(200);
    // a token put in the session cookie by hand opens nothing
    const cookie = { cookie: `${SESSION_COOKIE}=${token}` };
    expect((await get("/api/rooms", cookie)).status).toBe(401);
    const socket = server.connect({}, { autoConnect: false });
    socket.io.opts.extraHeaders = cookie;
    socket.connect();
    expect(await waitConnectError(socket)).toBe("unauthorized");
  });

  it("revoked: 401 on REST, refused on socket.io and /ws, and open sockets are closed", async () => {
    const session = await server.token("tok_carol");
    const created = await makeToken(session, "to revoke");
    const open = server.connect({ token: created.token });
    await waitConnected(open);
    const ws = await openWs(server.url, { token: created.token });
    await ws.nextOf("history");

    const del = await fetch(`${server.url}/api/me/tokens/${created.id}`, { method: "DELETE", headers: auth(session) });
    expect(del.status).toBe(200);
    await waitDisconnect(open);
    expect((await ws.closed).code).toBe(1008);

    expect((await get("/api/rooms", auth(created.token))).status).toBe(401);
    expect(await waitConnectError(server.connect({ token: created.token }))).toBe("unauthorized");
    expect(await refusedStatus(server.url, { token: created.token })).toBe(401);
    const listed = apiTokensResponseSchema.parse(await body(await get("/api/me/tokens", auth(session))));
    expect(listed.tokens).toEqual([]);
  });

  it("belong to their owner: another user cannot revoke one (404), bad names are refused (422)", async () => {
    const alice = await server.token("tok_dave");
    const eve = await server.token("tok_eve");
    const created = await makeToken(alice, "mine");
    const del = await fetch(`${server.url}/api/me/tokens/${created.id}`, { method: "DELETE", headers: auth(eve) });
    expect(del.status).toBe(404);
    expect((await get("/api/rooms", auth(created.token))).status).toBe(200);
    expect((await server.post("/api/me/tokens", { name: "  " }, auth(alice))).status).toBe(422);
    expect((await server.post("/api/me/tokens", { name: "x".repeat(65) }, auth(alice))).status).toBe(422);
    expect(
      (await server.post("/api/me/tokens", { name: "cross" }, { ...auth(alice), origin: "https://evil.example" }))
        .status,
    ).toBe(403);
  });

  it("a message sent with a token reaches the user's other sockets like any other", async () => {
    const session = await server.token("tok_fay");
    const { token } = await makeToken(session, "bot");
    const watcher = server.connect({ token: session });
    await waitConnected(watcher);
    const seen = nextEvent(watcher, "message:new");
    const sender = server.connect({ token });
    await waitConnected(sender);
    await sender.emitWithAck("message:send", { content: "token hello" });
    expect((await seen).content).toBe("token hello");
  });
});
