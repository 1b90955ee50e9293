// Administration (SPEC.md "Accounts, sessions, administration"): the first account is the admin; admins grant
// and revoke (never the last one); registration modes and invites; deactivation (sockets on both transports
// closed within a second, logins 401); password-reset links; the audit log; admins delete any message on
// socket.io, REST and /ws. The 403 of every admin route to a non-admin is fuzzed in test/security/admin-routes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AdminUser, AuditEntry, InviteCreated, Message } from "@/lib/protocol";
import { settlesWithin } from "../helpers/security";
import { ackedMessage, send, waitConnected } from "../helpers/socket-utils";
import { startTestServer, type TestServer, type TestSocket } from "../helpers/test-server";
import { openWs, type WsClient } from "../helpers/ws-client";
import { dbAll, dbRun, dbTimestamp } from "../helpers/db";

const PASSWORD = "correct horse battery";
let server: TestServer;
let owner: string;
const sockets: TestSocket[] = [];
const wsClients: WsClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  // the first account of this database: the admin
  owner = await server.token("owner");
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await Promise.all(wsClients.splice(0).map((c) => c.close()));
  await call("PUT", "/api/admin/settings", owner, { registration: "open" });
});
afterAll(async () => {
  await server.close();
});

async function call(method: string, pathname: string, token?: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(server.url + pathname, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

const register = (username: string, invite?: string) =>
  call(
    "POST",
    "/register",
    undefined,
    invite === undefined ? { username, password: PASSWORD } : { username, password: PASSWORD, invite },
  );
const login = (username: string, password = PASSWORD) => call("POST", "/login", undefined, { username, password });

async function usersNamed(token: string, q: string): Promise<AdminUser[]> {
  const res = await call("GET", `/api/admin/users?q=${encodeURIComponent(q)}`, token);
  expect(res.status).toBe(200);
  return res.body.users as AdminUser[];
}

async function audit(): Promise<AuditEntry[]> {
  return (await call("GET", "/api/admin/audit", owner)).body.entries as AuditEntry[];
}

function connect(token: string): TestSocket {
  const s = server.connect({ token });
  sockets.push(s);
  return s;
}

async function ws(token: string): Promise<WsClient> {
  const c = await openWs(server.url, { token });
  wsClients.push(c);
  await c.nextOf("history");
  return c;
}

/** sets an invite's expiry into the past, behind the server's back (the clock cannot be moved) */
function expireInvite(id: number): Promise<void> {
  return dbRun(server, `UPDATE "Invite" SET "expiresAt" = ? WHERE "id" = ?`, dbTimestamp(server, new Date(0)), id);
}

describe("the admin role", () => {
  it("the first account is the admin, later ones are not", async () => {
    await server.token("second");
    const [first, second] = [await usersNamed(owner, "owner"), await usersNamed(owner, "second")];
    expect(first).toMatchObject([{ username: "owner", admin: true, deactivated: false }]);
    expect(second).toMatchObject([{ username: "second", admin: false }]);
    expect((await server.services.auth.authenticate(owner))?.admin).toBe(true);
  });

  it("an admin grants and revokes admin; the grant works at once and both are audited", async () => {
    const helper = await server.token("helper");
    expect((await call("GET", "/api/admin/users", helper)).status).toBe(403);
    const granted = await call("POST", "/api/admin/users/HELPER/admin", owner);
    expect(granted).toMatchObject({ status: 200, body: { user: { username: "helper", admin: true } } });
    expect((await call("GET", "/api/admin/users", helper)).status).toBe(200);
    expect((await call("POST", "/api/admin/users/helper/admin", owner)).status).toBe(400); // already one
    const revoked = await call("DELETE", "/api/admin/users/helper/admin", helper);
    expect(revoked).toMatchObject({ status: 200, body: { user: { admin: false } } });
    expect((await call("GET", "/api/admin/users", helper)).status).toBe(403);
    expect(await audit()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: "owner", action: "admin.grant", target: "helper" }),
        expect.objectContaining({ actor: "helper", action: "admin.revoke", target: "helper" }),
      ]),
    );
  });

  it("never removes the last admin, even when two admins revoke each other at once", async () => {
    const alone = await call("DELETE", "/api/admin/users/owner/admin", owner);
    expect(alone.status).toBe(400);
    expect(alone.body.detail).toMatch(/last active admin/);
    const deputy = await server.token("deputy");
    await call("POST", "/api/admin/users/deputy/admin", owner);
    const both = await Promise.all([
      call("DELETE", "/api/admin/users/deputy/admin", owner),
      call("DELETE", "/api/admin/users/owner/admin", deputy),
    ]);
    // the loser is refused as the last admin (400) or, when the other revoke came first, as no admin now (403)
    expect(both.filter((r) => r.status === 200)).toHaveLength(1);
    expect(both.filter((r) => r.status !== 200).map((r) => r.status)).toEqual([expect.toBeOneOf([400, 403])]);
    const admins = await dbAll<{ username: string }>(server, `SELECT "username" FROM "User" WHERE "admin" = true`);
    expect(admins).toHaveLength(1);
    // put things back: owner stays the admin for the other tests
    if (admins[0]!.username === "deputy") {
      await call("POST", "/api/admin/users/owner/admin", deputy);
      await call("DELETE", "/api/admin/users/deputy/admin", owner);
    }
    expect((await usersNamed(owner, "owner"))[0]?.admin).toBe(true);
  });

  it("the last admin cannot be deactivated, nor deactivate themselves", async () => {
    const self = await call("POST", "/api/admin/users/owner/deactivate", owner);
    expect(self.status).toBe(400);
    expect(self.body.detail).toMatch(/your own account/);
  });

  it("the route's errors: an unknown user is 404, no session 401", async () => {
    expect((await call("POST", "/api/admin/users/nobody_here/deactivate", owner)).status).toBe(404);
    expect((await call("GET", "/api/admin/users")).status).toBe(401);
  });

  it("lists users with a case-insensitive search", async () => {
    await server.token("Searchable_One");
    await server.token("searchable_two");
    const found = await usersNamed(owner, "SEARCHABLE");
    expect(found.map((u) => u.username)).toEqual(["Searchable_One", "searchable_two"]);
    // "_" and "%" are characters to find, not LIKE patterns
    await server.token("searchablexthree");
    expect((await usersNamed(owner, "e_")).map((u) => u.username)).toEqual(["Searchable_One", "searchable_two"]);
    expect(await usersNamed(owner, "%")).toEqual([]);
  });
});

describe("admins delete any message", () => {
  it("on socket.io, REST and /ws; a non-admin still may not", async () => {
    const author = await server.token("author");
    const other = await server.token("bystander");
    const socket = connect(author);
    await waitConnected(socket);
    const sent: Message[] = [];
    for (const content of ["one", "two", "three", "four"]) sent.push(ackedMessage(await send(socket, { content })));
    const [viaSocket, viaRest, viaWs, kept] = sent as [Message, Message, Message, Message];

    const bystander = connect(other);
    await waitConnected(bystander);
    const refused = (await bystander.emitWithAck("message:delete", { id: kept.id })) as {
      ok: boolean;
      error?: { code: string };
    };
    expect(refused).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect((await call("DELETE", `/api/messages/${kept.id}`, other)).status).toBe(403);

    const adminSocket = connect(owner);
    await waitConnected(adminSocket);
    expect(await adminSocket.emitWithAck("message:delete", { id: viaSocket.id })).toMatchObject({
      ok: true,
      message: { id: viaSocket.id, deleted: true, username: "author" },
    });
    expect(await call("DELETE", `/api/messages/${viaRest.id}`, owner)).toMatchObject({
      status: 200,
      body: { message: { id: viaRest.id, deleted: true } },
    });
    const adminWs = await ws(owner);
    adminWs.sendJson({ type: "delete", id: viaWs.id });
    expect(await adminWs.nextOf("updated")).toMatchObject({ id: viaWs.id, deleted: true });
  });
});

describe("registration modes and invites", () => {
  it("closed: nobody registers (403 with a detail)", async () => {
    expect((await call("PUT", "/api/admin/settings", owner, { registration: "closed" })).body).toEqual({
      registration: "closed",
      registrationDefault: "open",
    });
    const res = await register("closed_out");
    expect(res).toEqual({ status: 403, body: { detail: "Registration is closed on this server." } });
  });

  it("invite: a missing, unknown, used-up or expired code is 403; a live one works once", async () => {
    await call("PUT", "/api/admin/settings", owner, { registration: "invite" });
    expect((await call("GET", "/api/admin/settings", owner)).body.registration).toBe("invite");
    expect((await register("no_invite")).status).toBe(403);
    expect(await register("bad_invite", "not-a-real-code")).toMatchObject({
      status: 403,
      body: { detail: /not valid/ },
    });

    const made = await call("POST", "/api/admin/invites", owner, { expiresInHours: 2 });
    expect(made.status).toBe(201);
    const { invite } = made.body as unknown as InviteCreated;
    // ≥ 128 bits: 32 random bytes, base64url
    expect(invite.code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(invite.url).toBe(`${server.url}/register?invite=${invite.code}`);
    expect(new Date(invite.expiresAt).getTime()).toBeGreaterThan(Date.now() + 3600_000);
    // stored hashed: the code is nowhere in the database
    const stored = await dbAll<{ codeHash: string }>(server, `SELECT "codeHash" FROM "Invite"`);
    expect(stored.some((r) => r.codeHash.includes(invite.code))).toBe(false);

    expect((await register("invited_one", invite.code)).status).toBe(200);
    expect((await login("invited_one")).status).toBe(200);
    expect(await register("invited_two", invite.code)).toMatchObject({ status: 403, body: { detail: /used up/ } });

    const expiring = (await call("POST", "/api/admin/invites", owner, {})).body as unknown as InviteCreated;
    await expireInvite(expiring.invite.id);
    expect(await register("too_late", expiring.invite.code)).toMatchObject({
      status: 403,
      body: { detail: /expired/ },
    });
  });

  it("an invite for several uses admits that many, racing or not", async () => {
    await call("PUT", "/api/admin/settings", owner, { registration: "invite" });
    const { invite } = (await call("POST", "/api/admin/invites", owner, { uses: 3 })).body as unknown as InviteCreated;
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => register(`multi_${n}`, invite.code)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 403, 403]);
  });

  it("invites are listed and revocable; a revoked one no longer works", async () => {
    await call("PUT", "/api/admin/settings", owner, { registration: "invite" });
    const { invite } = (await call("POST", "/api/admin/invites", owner, { uses: 2 })).body as unknown as InviteCreated;
    const listed = await call("GET", "/api/admin/invites", owner);
    expect(listed.body.invites).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: invite.id, uses: 2, used: 0, state: "active", createdBy: "owner" }),
      ]),
    );
    expect((await call("DELETE", `/api/admin/invites/${invite.id}`, owner)).status).toBe(200);
    expect((await call("DELETE", `/api/admin/invites/${invite.id}`, owner)).status).toBe(404);
    expect((await register("after_revoke", invite.code)).status).toBe(403);
    const after = (await call("GET", "/api/admin/invites", owner)).body.invites as { id: number }[];
    expect(after.some((i) => i.id === invite.id)).toBe(false);
  });

  it("refuses bad invite requests with a clear 422", async () => {
    for (const body of [{ uses: 0 }, { expiresInHours: -1 }, { uses: "two" }, { extra: 1 }]) {
      const res = await call("POST", "/api/admin/invites", owner, body);
      expect(res.status).toBe(422);
      expect(typeof res.body.detail).toBe("string");
    }
    expect((await call("PUT", "/api/admin/settings", owner, { registration: "sometimes" })).status).toBe(422);
  });

  it("in open mode an invite is not needed (and not used up)", async () => {
    expect((await register("open_door")).status).toBe(200);
  });
});

describe("deactivation", () => {
  it("ends every session, closes socket.io and /ws sockets within a second, and logins get 401", async () => {
    const token = await server.token("leaving");
    const second = (await login("leaving")).body.token as string;
    // a personal access token's socket goes too (the token itself comes back with a reactivation)
    const pat = (await call("POST", "/api/me/tokens", token, { name: "script" })).body.token as string;
    const [a, b, c] = [connect(token), connect(second), connect(pat)];
    await Promise.all([waitConnected(a), waitConnected(b), waitConnected(c)]);
    const plain = await ws(token);
    const message = ackedMessage(await send(a, { content: "I was here" }));

    const gone = [
      new Promise((r) => a.once("disconnect", r)),
      new Promise((r) => b.once("disconnect", r)),
      new Promise((r) => c.once("disconnect", r)),
      plain.closed,
    ];
    const started = Date.now();
    const res = await call("POST", "/api/admin/users/leaving/deactivate", owner);
    expect(res).toMatchObject({ status: 200, body: { user: { username: "leaving", deactivated: true } } });
    const closedInTime = await Promise.all(gone.map((p) => settlesWithin(p, 1000 - (Date.now() - started))));
    expect(closedInTime).toEqual([true, true, true, true]);
    expect((await plain.closed).code).toBe(1008);

    expect(await login("leaving")).toEqual({ status: 401, body: { detail: "Invalid credentials" } });
    expect((await call("GET", "/api/rooms", token)).status).toBe(401);
    expect((await call("GET", "/api/rooms", pat)).status).toBe(401);
    // the messages stay
    const history = await call("GET", "/api/messages?limit=500", owner);
    expect((history.body.messages as Message[]).find((m) => m.id === message.id)).toMatchObject({
      content: "I was here",
    });
    expect((await usersNamed(owner, "leaving"))[0]?.deactivated).toBe(true);

    expect((await call("POST", "/api/admin/users/leaving/deactivate", owner)).status).toBe(400);
    expect((await call("POST", "/api/admin/users/leaving/reactivate", owner)).status).toBe(200);
    expect((await login("leaving")).status).toBe(200);
    expect((await call("GET", "/api/rooms", pat)).status).toBe(200);
    expect(await audit()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: "user.deactivate", target: "leaving" }),
        expect.objectContaining({ action: "user.reactivate", target: "leaving" }),
      ]),
    );
  });
});

describe("password reset links", () => {
  it("a one-time link sets a new password and ends every session of the user", async () => {
    const token = await server.token("forgetful");
    const socket = connect(token);
    await waitConnected(socket);
    const created = await call("POST", "/api/admin/users/forgetful/password-reset", owner);
    expect(created.status).toBe(201);
    const { url, expiresAt } = (created.body as { reset: { url: string; expiresAt: string } }).reset;
    expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now());
    const resetToken = new URL(url).searchParams.get("token")!;
    expect(new URL(url).pathname).toBe("/reset-password");
    expect(await server.services.admin.passwordResetUser(resetToken)).toBe("forgetful");
    const stored = await dbAll<{ tokenHash: string }>(server, `SELECT "tokenHash" FROM "PasswordReset"`);
    expect(stored.some((r) => r.tokenHash === resetToken)).toBe(false);

    const closed = new Promise((r) => socket.once("disconnect", r));
    const done = await call("POST", "/api/password-reset", undefined, {
      token: resetToken,
      password: "a brand new secret",
    });
    expect(done.status).toBe(200);
    expect(await settlesWithin(closed, 1000)).toBe(true);
    expect((await call("GET", "/api/rooms", token)).status).toBe(401);
    expect((await login("forgetful")).status).toBe(401);
    expect((await login("forgetful", "a brand new secret")).status).toBe(200);
    // once only
    const again = await call("POST", "/api/password-reset", undefined, {
      token: resetToken,
      password: "another secret!",
    });
    expect(again.status).toBe(403);
    expect(again.body.detail).toMatch(/not valid|used|expired/);
    expect(await audit()).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: "user.password-reset", target: "forgetful" })]),
    );
  });
});
