// The HTTP contract (SPEC.md, "HTTP") against the real server, row by row, with Playwright's `request`.
// Data for the REST reads is seeded over socket.io with the wire types of lib/protocol.
import type { APIRequestContext, APIResponse } from "@playwright/test";
import WebSocket from "ws";
import type { LoginResponse, Message, MessagesResponse, WsServerFrame } from "../lib/protocol";
import {
  apiLogin,
  apiRegister,
  bearer,
  connect,
  expect,
  sendMessage,
  sendMessages,
  test,
  uniqueText,
  uniqueUsername,
  PASSWORD,
} from "./fixtures";

const BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

async function expectDetail(res: APIResponse, statuses: number[], detail: string | RegExp): Promise<void> {
  expect(statuses, `status ${res.status()}: ${await res.text()}`).toContain(res.status());
  expect(res.headers()["content-type"]).toMatch(/^application\/json/);
  const body = (await res.json()) as { detail?: unknown };
  expect(typeof body.detail).toBe("string");
  if (typeof detail === "string") expect(body.detail).toBe(detail);
  else expect(body.detail).toMatch(detail);
}

async function getMessages(request: APIRequestContext, token: string, query: string): Promise<Message[]> {
  const res = await request.get(`/api/messages${query}`, { headers: bearer(token) });
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as MessagesResponse).messages;
}

const ids = (messages: readonly Message[]) => messages.map((m) => m.id);

test.describe("GET /", () => {
  for (const accept of ["application/json", "*/*"]) {
    test(`Accept: ${accept} → exactly {"status":"Server is running"}`, async ({ request }) => {
      const res = await request.get("/", { headers: { Accept: accept }, maxRedirects: 0 });
      expect(res.status()).toBe(200);
      expect(res.headers()["content-type"]).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({ status: "Server is running" });
    });
  }

  test("a browser (Accept: text/html) without a session is sent to the login page", async ({ request }) => {
    const res = await request.get("/", { headers: { Accept: BROWSER_ACCEPT }, maxRedirects: 0 });
    if (res.status() >= 300 && res.status() < 400) {
      expect(new URL(res.headers()["location"] ?? "", "http://x").pathname).toBe("/login");
    } else {
      expect(res.status()).toBe(200);
      expect(res.headers()["content-type"]).toMatch(/^text\/html/);
    }
    const followed = await request.get("/", { headers: { Accept: BROWSER_ACCEPT } });
    expect(followed.status()).toBe(200);
    expect(followed.headers()["content-type"]).toMatch(/^text\/html/);
    expect(new URL(followed.url()).pathname).toBe("/login");
  });

  test("a browser with a session cookie gets the chat app", async ({ request, apiUser }) => {
    // the request context keeps the cookie that POST /login sets
    const login = await request.post("/login", { data: { username: apiUser.username, password: PASSWORD } });
    expect(login.status()).toBe(200);
    const app = await request.get("/", { headers: { Accept: BROWSER_ACCEPT } });
    expect(new URL(app.url()).pathname).toBe("/");
    expect(await app.text()).toContain('data-testid="whoami"');
  });
});

test("GET /api/health → 200 with the status", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { status?: unknown };
  expect(body.status).toBe("Server is running");
});

test("the route table in front of Next: HEAD is GET without a body, another method is a 405, login stays Next's", async ({
  request,
}) => {
  const head = await request.head("/api/health");
  expect(head.status()).toBe(200);
  expect(head.headers()["content-type"]).toMatch(/^application\/json/);
  expect(await head.body()).toHaveLength(0);
  const put = await request.put("/api/messages", { data: {} });
  expect(put.status()).toBe(405);
  expect(put.headers()["allow"]).toBe("GET, HEAD, OPTIONS");
  expect(await put.json()).toEqual({ detail: "PUT is not allowed here; allowed: GET, HEAD, OPTIONS" });
  // a GET of login reaches Next's route handler, which has only POST
  expect((await request.get("/api/login")).status()).toBe(405);
  expect((await request.get("/api/no-such-thing")).status()).toBe(404);
});

test.describe("POST /register", () => {
  test("success", async ({ request }) => {
    const res = await request.post("/register", { data: { username: uniqueUsername("reg"), password: PASSWORD } });
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ message: "User registered successfully" });
  });

  test("duplicate, case-insensitively → 400 User already exists", async ({ request }) => {
    const name = uniqueUsername("bob");
    await apiRegister(request, name);
    for (const again of [name, name.toUpperCase(), `B${name.slice(1)}`]) {
      const res = await request.post("/register", { data: { username: again, password: PASSWORD } });
      expect(res.status()).toBe(400);
      expect(await res.json()).toEqual({ detail: "User already exists" });
    }
  });

  const invalid: { name: string; body: unknown; detail: RegExp }[] = [
    { name: "username too short", body: { username: "ab", password: PASSWORD }, detail: /username.*3/i },
    { name: "username too long", body: { username: "a".repeat(33), password: PASSWORD }, detail: /username.*32/i },
    { name: "username with a space", body: { username: "bad name", password: PASSWORD }, detail: /username/i },
    { name: "username with a slash", body: { username: "a/b/c", password: PASSWORD }, detail: /username/i },
    { name: "username missing", body: { password: PASSWORD }, detail: /username/i },
    { name: "username not a string", body: { username: 12345, password: PASSWORD }, detail: /username/i },
    { name: "password too short", body: { username: "okname", password: "short" }, detail: /password.*8/i },
    { name: "password missing", body: { username: "okname" }, detail: /password/i },
    { name: "password of 73 bytes", body: { username: "okname", password: "a".repeat(73) }, detail: /password.*72/i },
    {
      name: "password of 50 characters but 125 bytes (25×'é€')",
      body: { username: "okname", password: "é€".repeat(25) },
      detail: /password.*72/i,
    },
    { name: "body is an array", body: [], detail: /username|object/i },
  ];
  for (const { name, body, detail } of invalid) {
    test(`invalid input: ${name} → 400/422 naming the problem`, async ({ request }) => {
      const res = await request.post("/register", { data: body });
      await expectDetail(res, [400, 422], detail);
    });
  }

  test("passwords are measured in bytes: 72 bytes accepted and not truncated", async ({ request }) => {
    const name = uniqueUsername("pw");
    const password = "€".repeat(24); // 24 characters, 72 bytes
    await apiRegister(request, name, password);
    await apiLogin(request, name, password);
    const almost = "€".repeat(23) + "xyz"; // differs only in the last 3 bytes
    const res = await request.post("/login", { data: { username: name, password: almost } });
    expect(res.status()).toBe(401);
  });

  test("malformed JSON → 400, not 500", async ({ request }) => {
    for (const path of ["/register", "/login"]) {
      const res = await request.post(path, {
        headers: { "Content-Type": "application/json" },
        // a Buffer is sent as is (a string with a JSON content type would be encoded as a JSON string)
        data: Buffer.from('{"username": "x", "password": '),
      });
      await expectDetail(res, [400], /json/i);
    }
  });
});

test.describe("POST /login", () => {
  test("success → {token} (opaque, high-entropy) and an HttpOnly SameSite session cookie", async ({ request }) => {
    const name = uniqueUsername("login");
    await apiRegister(request, name);
    const res = await request.post("/login", { data: { username: name, password: PASSWORD } });
    expect(res.status()).toBe(200);
    const body = (await res.json()) as LoginResponse;
    expect(Object.keys(body)).toEqual(["token"]);
    const { token } = body;
    // ≥ 128 bits: at least 22 base64url characters (or 32 hex); no structure such as a JWT's dots
    expect(token).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(token).not.toContain(name);
    expect(new Set(token).size).toBeGreaterThan(10);
    const second = await apiLogin(request, name);
    expect(second).not.toBe(token);

    const cookies = res.headersArray().filter((h) => h.name.toLowerCase() === "set-cookie");
    expect(cookies).toHaveLength(1);
    const cookie = cookies[0]?.value ?? "";
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=(Lax|Strict)/i);
    expect(cookie).toMatch(/;\s*Path=\//i);

    const authorised = await request.get("/api/messages?limit=1", { headers: bearer(token) });
    expect(authorised.status()).toBe(200);
  });

  test("wrong password or unknown user → 401 Invalid credentials", async ({ request }) => {
    const name = uniqueUsername("wrong");
    await apiRegister(request, name);
    const wrong = await request.post("/login", { data: { username: name, password: "not-the-password" } });
    expect(wrong.status()).toBe(401);
    expect(await wrong.json()).toEqual({ detail: "Invalid credentials" });
    const unknown = await request.post("/login", { data: { username: uniqueUsername("ghost"), password: PASSWORD } });
    expect(unknown.status()).toBe(401);
    expect(await unknown.json()).toEqual({ detail: "Invalid credentials" });
  });

  test("invalid input → 400/422", async ({ request }) => {
    await expectDetail(await request.post("/login", { data: { username: "x" } }), [400, 422], /username|password/i);
  });

  test("repeated wrong passwords are throttled per account: 429 with Retry-After", async ({ request }) => {
    const name = uniqueUsername("throttle");
    const other = uniqueUsername("bystander");
    await apiRegister(request, name);
    await apiRegister(request, other);

    const statuses: number[] = [];
    let throttled: APIResponse | undefined;
    for (let i = 0; i < 15 && !throttled; i++) {
      const res = await request.post("/login", { data: { username: name, password: `wrong-password-${i}` } });
      statuses.push(res.status());
      if (res.status() === 429) throttled = res;
    }
    // the server allows 10 attempts per account and address per minute
    expect(statuses.slice(0, 10)).toEqual(Array<number>(10).fill(401));
    expect(throttled, `statuses: ${statuses.join(",")}`).toBeDefined();
    if (!throttled) return;
    const retryAfter = Number(throttled.headers()["retry-after"]);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    await expectDetail(throttled, [429], /.+/);

    // while throttled even the right password is refused, but other accounts are not locked out
    const right = await request.post("/login", { data: { username: name, password: PASSWORD } });
    expect(right.status()).toBe(429);
    await apiLogin(request, other);
  });

  test("a foreign Origin is refused with 403 (register, login, logout)", async ({ request, serverURL }) => {
    const name = uniqueUsername("csrf");
    const evil = { Origin: "http://evil.example" };
    const reg = await request.post("/register", { headers: evil, data: { username: name, password: PASSWORD } });
    expect(reg.status()).toBe(403);
    // nothing was created: the same name is still free
    await apiRegister(request, name);
    const login = await request.post("/login", { headers: evil, data: { username: name, password: PASSWORD } });
    expect(login.status()).toBe(403);
    expect(login.headers()["set-cookie"]).toBeUndefined();
    // the server's own origin is fine
    const own = await request.post("/login", {
      headers: { Origin: new URL(serverURL).origin },
      data: { username: name, password: PASSWORD },
    });
    expect(own.status()).toBe(200);
    const { token } = (await own.json()) as LoginResponse;
    const logout = await request.post("/logout", { headers: { ...evil, ...bearer(token) } });
    expect(logout.status()).toBe(403);
    expect((await request.get("/api/messages?limit=1", { headers: bearer(token) })).status()).toBe(200);
  });
});

test.describe("/api aliases", () => {
  test("POST /api/register and /api/login answer like /register and /login", async ({ request }) => {
    const name = uniqueUsername("alias");
    const reg = await request.post("/api/register", { data: { username: name, password: PASSWORD } });
    expect(reg.status()).toBe(200);
    expect(await reg.json()).toEqual({ message: "User registered successfully" });
    const dup = await request.post("/api/register", { data: { username: name.toUpperCase(), password: PASSWORD } });
    expect(dup.status()).toBe(400);
    expect(await dup.json()).toEqual({ detail: "User already exists" });

    const bad = await request.post("/api/login", { data: { username: name, password: "not-the-password" } });
    expect(bad.status()).toBe(401);
    expect(await bad.json()).toEqual({ detail: "Invalid credentials" });
    const ok = await request.post("/api/login", { data: { username: name, password: PASSWORD } });
    expect(ok.status()).toBe(200);
    const { token } = (await ok.json()) as LoginResponse;
    expect((await request.get("/api/messages?limit=1", { headers: bearer(token) })).status()).toBe(200);
  });
});

test.describe("GET /api/messages", () => {
  test("401 without a valid token", async ({ playwright, serverURL }) => {
    // a fresh context: no cookie from any earlier login
    const anonymous = await playwright.request.newContext({ baseURL: serverURL });
    const variants: Record<string, string>[] = [
      {},
      { Authorization: "Bearer not-a-real-token" },
      { Authorization: "Basic Zm9vOmJhcg==" },
    ];
    for (const headers of variants) {
      await expectDetail(await anonymous.get("/api/messages", { headers }), [401], /.+/);
    }
    await expectDetail(await anonymous.get("/api/messages?after=0&limit=5"), [401], /.+/);
    await anonymous.dispose();
  });

  test("ascending by id, with the wire shape of a Message", async ({ request, apiUser, socket }) => {
    const client = await connect(socket({ token: apiUser.token }));
    const contents = [1, 2, 3].map((i) => uniqueText(`asc ${i}`));
    const sent = await sendMessages(client, contents);
    const first = sent[0]?.id ?? 0;

    const page = await getMessages(request, apiUser.token, `?after=${first - 1}&limit=500`);
    const got = ids(page);
    expect(got).toEqual([...got].sort((a, b) => a - b));
    expect(new Set(got).size).toBe(got.length);
    const mine = page.filter((m) => contents.includes(m.content));
    expect(mine.map((m) => m.content)).toEqual(contents);
    for (const m of mine) {
      expect(m).toMatchObject({ username: apiUser.username, room: "general" });
      expect(Number.isInteger(m.id)).toBe(true);
      expect(m.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      expect(new Date(m.timestamp).toISOString()).toBe(m.timestamp);
    }
    expect(mine).toEqual(sent);

    // without a cursor: the latest page, ascending, ending with the newest message
    const latest = await getMessages(request, apiUser.token, "?limit=3");
    expect(ids(latest)).toEqual([...ids(latest)].sort((a, b) => a - b));
    expect(latest.at(-1)?.id).toBeGreaterThanOrEqual(sent.at(-1)?.id ?? Infinity);
  });

  test("after and before cursors", async ({ request, apiUser, socket }) => {
    const client = await connect(socket({ token: apiUser.token }));
    const sent = ids(
      await sendMessages(
        client,
        [0, 1, 2, 3, 4, 5].map((i) => uniqueText(`cursor ${i}`)),
      ),
    );
    const at = (i: number) => sent[i] ?? Number.NaN;

    expect(ids(await getMessages(request, apiUser.token, `?after=${at(1)}&limit=2`))).toEqual([at(2), at(3)]);
    expect(ids(await getMessages(request, apiUser.token, `?before=${at(4)}&limit=2`))).toEqual([at(2), at(3)]);
    expect(ids(await getMessages(request, apiUser.token, `?before=${at(1)}&limit=1`))).toEqual([at(0)]);
    // nothing after the newest one (unless another test wrote meanwhile: only later ids may appear)
    for (const id of ids(await getMessages(request, apiUser.token, `?after=${at(5)}`)))
      expect(id).toBeGreaterThan(at(5));
    // before the very first id: nothing
    expect(await getMessages(request, apiUser.token, "?before=1")).toEqual([]);
  });

  test("limit defaults to 50 and may be at most 500", async ({ request, apiUser, socket }) => {
    const client = await connect(socket({ token: apiUser.token }));
    const sent = ids(
      await sendMessages(
        client,
        Array.from({ length: 55 }, (_, i) => uniqueText(`bulk ${i}`)),
      ),
    );
    const from = (sent[0] ?? 0) - 1;

    expect(ids(await getMessages(request, apiUser.token, `?after=${from}`))).toEqual(sent.slice(0, 50));
    expect(ids(await getMessages(request, apiUser.token, `?before=${(sent.at(-1) ?? 0) + 1}`))).toEqual(sent.slice(5));
    const max = await getMessages(request, apiUser.token, `?after=${from}&limit=500`);
    expect(max.length).toBeLessThanOrEqual(500);
    expect(ids(max).slice(0, 55)).toEqual(sent);

    for (const bad of ["limit=501", "limit=0", "limit=-1", "limit=abc", "limit=2.5", "after=abc", "before=-5"]) {
      const res = await request.get(`/api/messages?${bad}`, { headers: bearer(apiUser.token) });
      await expectDetail(res, [400, 422], /.+/);
    }
    const tooMany = await request.get("/api/messages?limit=501", { headers: bearer(apiUser.token) });
    await expectDetail(tooMany, [400, 422], /limit.*500/);
  });
});

test.describe("POST /logout", () => {
  test("with Bearer → 200, the token stops working and its sockets are closed", async ({ request, socket }) => {
    const name = uniqueUsername("logout");
    await apiRegister(request, name);
    const token = await apiLogin(request, name);
    const keep = await apiLogin(request, name); // a second session of the same user is not affected
    const client = await connect(socket({ token }));
    const disconnected = new Promise<string>((resolve) => client.once("disconnect", resolve));

    const res = await request.post("/logout", { headers: bearer(token) });
    expect([200, 204]).toContain(res.status());
    await expectDetail(await request.get("/api/messages", { headers: bearer(token) }), [401], /.+/);
    expect(await Promise.race([disconnected, timeout(1_500, "still connected")])).toBe("io server disconnect");

    expect((await request.get("/api/messages?limit=1", { headers: bearer(keep) })).status()).toBe(200);
    // the revoked token cannot reconnect either
    await expect(connect(socket({ token }))).rejects.toThrow("unauthorized");
    // logging out twice: the token is already gone
    expect((await request.post("/logout", { headers: bearer(token) })).status()).toBe(401);
  });
});

test.describe("realtime transports (seeding and session checks)", () => {
  test("socket.io: history, message:new to every client, unauthorized handshake", async ({ apiUser, socket }) => {
    const history = new Promise<Message[]>((resolve) => {
      const s = socket({ token: apiUser.token });
      s.once("history", ({ messages }) => resolve(messages));
      void connect(s);
    });
    expect((await history).length).toBeLessThanOrEqual(50);

    const listener = await connect(socket({ token: apiUser.token }));
    const received = new Promise<Message>((resolve) => listener.once("message:new", resolve));
    const sender = await connect(socket({ token: apiUser.token }));
    const sent = await sendMessage(sender, uniqueText("fan-out"));
    expect(await received).toEqual(sent);

    await expect(connect(socket({ token: "nope" }))).rejects.toThrow("unauthorized");
    await expect(connect(socket({}))).rejects.toThrow("unauthorized");
  });

  test("plain WebSocket /ws: refused without a token; messages cross to socket.io", async ({
    apiUser,
    socket,
    serverURL,
  }) => {
    const wsURL = `${serverURL.replace(/^http/, "ws")}/ws`;
    const refused = new WebSocket(`${wsURL}?token=nope`);
    const outcome = await new Promise<string>((resolve) => {
      refused.once("unexpected-response", (_req, res) => resolve(`http ${res.statusCode}`));
      refused.once("close", (code) => resolve(`close ${code}`));
      refused.once("error", () => undefined);
    });
    expect(["http 401", "close 1008"]).toContain(outcome);

    const listener = await connect(socket({ token: apiUser.token }));
    const ws = new WebSocket(`${wsURL}?token=${encodeURIComponent(apiUser.token)}`);
    const frames: WsServerFrame[] = [];
    ws.on("message", (data: Buffer) => frames.push(JSON.parse(data.toString("utf8")) as WsServerFrame));
    await new Promise<void>((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
    });
    await expect.poll(() => frames[0]?.type).toBe("history");

    const content = uniqueText("via ws");
    const arrived = new Promise<Message>((resolve) => listener.once("message:new", resolve));
    ws.send(JSON.stringify({ content }));
    expect(await arrived).toMatchObject({ content, username: apiUser.username });

    ws.send("not json");
    await expect.poll(() => frames.some((f) => f.type === "error")).toBe(true);
    expect(frames.find((f) => f.type === "error")).toEqual({ type: "error", detail: "Invalid message format" });
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  });
});

function timeout(ms: number, value: string): Promise<string> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}
