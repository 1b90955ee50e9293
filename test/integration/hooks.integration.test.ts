// Incoming webhooks (SPEC.md "Integrations"): made by a room member, the URL shown once; posts with JSON and
// form bodies (Slack's `payload=` and plain fields), username/icon overrides shown as a bot, Markdown and
// content rules as for messages, revoked and forged URLs 404, oversize bodies 413, throttled like a user
// (429 + Retry-After), and the README's curl examples run as written.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createdHookResponseSchema, hooksResponseSchema, type Message } from "@/lib/protocol";
import { body } from "../helpers/http";
import { waitConnected } from "../helpers/socket-utils";
import { nextEvent, startTestServer, type TestServer, type TestSocket } from "../helpers/test-server";
import { openWs } from "../helpers/ws-client";

const run = promisify(execFile);
let server: TestServer;
let alice: string;
let bob: string;
let watcher: TestSocket;

beforeAll(async () => {
  server = await startTestServer({ env: { THROTTLE_MESSAGES: "5" } });
  alice = await server.token("hook_alice");
  bob = await server.token("hook_bob");
  for (const [token, name] of [
    [alice, "ops"],
    [bob, "bobs"],
  ] as const) {
    const s = server.connect({ token });
    await waitConnected(s);
    await s.emitWithAck("room:create", { name });
    s.disconnect();
  }
  watcher = server.connect({ token: alice });
  await waitConnected(watcher);
});
afterAll(async () => {
  await server.close();
});

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

async function makeHook(name: string, room = "ops", token = alice) {
  const res = await server.post("/api/hooks", { room, name }, auth(token));
  expect(res.status).toBe(201);
  return createdHookResponseSchema.parse(await res.json()).hook;
}

function postRaw(url: string, text: string, contentType = "application/json") {
  return fetch(url, { method: "POST", headers: { "content-type": contentType }, body: text });
}

/** Posts, expects 200 `ok`, and resolves with the message the watcher saw for it. */
async function delivered(send: () => Promise<Response>): Promise<Message> {
  const seen = nextEvent(watcher, "message:new");
  const res = await send();
  expect(await res.text()).toBe("ok");
  expect(res.status).toBe(200);
  return seen;
}

describe("managing hooks", () => {
  it("a member makes one: the URL is the server's origin, /hooks/ and a 192-bit secret, shown once", async () => {
    const hook = await makeHook("CI");
    expect(hook).toMatchObject({ room: "ops", name: "CI", createdBy: "hook_alice" });
    expect(hook.url).toMatch(new RegExp(`^${server.url}/hooks/[A-Za-z0-9_-]{32}$`));
    const listed = hooksResponseSchema.parse(
      await body(await fetch(`${server.url}/api/hooks`, { headers: auth(alice) })),
    );
    const mine = listed.hooks.find((h) => h.id === hook.id);
    expect(mine).toMatchObject({ name: "CI", room: "ops" });
    expect(mine?.url).toBeUndefined();
    expect(JSON.stringify(listed)).not.toContain(hook.url.split("/hooks/")[1]);
  });

  it("only for members of the room; others neither list nor revoke it", async () => {
    expect((await server.post("/api/hooks", { room: "ops", name: "x" }, auth(bob))).status).toBe(403);
    const hook = await makeHook("private to ops");
    const bobs = hooksResponseSchema.parse(await body(await fetch(`${server.url}/api/hooks`, { headers: auth(bob) })));
    expect(bobs.hooks.map((h) => h.room)).not.toContain("ops");
    const del = await fetch(`${server.url}/api/hooks/${hook.id}`, { method: "DELETE", headers: auth(bob) });
    expect(del.status).toBe(404);
    expect((await server.post("/api/hooks", { room: "ops", name: "" }, auth(alice))).status).toBe(422);
    expect(
      (await server.post("/api/hooks", { room: "ops", name: "x" }, { ...auth(alice), origin: "https://evil.example" }))
        .status,
    ).toBe(403);
  });
});

describe("posting to a hook", () => {
  it("JSON text becomes a message in the hook's room, shown as the bot under the hook's name", async () => {
    const hook = await makeHook("Deploys");
    const m = await delivered(() => postRaw(hook.url, JSON.stringify({ text: "Deployed **v1.2** to `prod`" })));
    expect(m).toMatchObject({
      room: "ops",
      username: "hook_alice",
      content: "Deployed **v1.2** to `prod`",
      bot: { name: "Deploys", iconUrl: null },
    });
    // the same over REST and on the plain WebSocket
    const page = await body<{ messages: Message[] }>(
      await fetch(`${server.url}/api/messages?room=ops&after=${m.id - 1}`, { headers: auth(alice) }),
    );
    expect(page.messages[0]?.bot).toEqual({ name: "Deploys", iconUrl: null });

    // a reply quotes it under the bot's name, in the ack and in the history
    const reply = await watcher.emitWithAck("message:send", { content: "thanks", room: "ops", replyTo: m.id });
    if (!reply.ok) throw new Error(reply.error.detail);
    expect(reply.message.replyTo).toMatchObject({ id: m.id, username: "hook_alice", botName: "Deploys" });
    const replies = await body<{ messages: Message[] }>(
      await fetch(`${server.url}/api/messages?room=ops&after=${reply.message.id - 1}`, { headers: auth(alice) }),
    );
    expect(replies.messages[0]?.replyTo).toMatchObject({ id: m.id, botName: "Deploys" });
    // and a person's message is quoted with no bot name
    const again = await watcher.emitWithAck("message:send", {
      content: "and you",
      room: "ops",
      replyTo: reply.message.id,
    });
    expect(again.ok && again.message.replyTo?.botName).toBeNull();
  });

  it("counts as unread for its maker too, and a mention of them is theirs (it is the bot speaking)", async () => {
    expect((await watcher.emitWithAck("room:create", { name: "counts" })).ok).toBe(true);
    const hook = await makeHook("Counter", "counts");
    const res = await postRaw(hook.url, JSON.stringify({ text: "@hook_alice look" }));
    expect(res.status).toBe(200);
    const rooms = await body<{ rooms: { name: string; unread: number; mentions: number }[] }>(
      await fetch(`${server.url}/api/rooms`, { headers: auth(alice) }),
    );
    expect(rooms.rooms.find((r) => r.name === "counts")).toMatchObject({ unread: 1, mentions: 1 });
  });

  it("its maker may delete the post but not edit it", async () => {
    const hook = await makeHook("Editable?");
    const m = await delivered(() => postRaw(hook.url, JSON.stringify({ text: "original" })));
    const edit = await watcher.emitWithAck("message:edit", { id: m.id, content: "words in its mouth" });
    expect(edit).toMatchObject({ ok: false, error: { code: "forbidden" } });
    const del = await watcher.emitWithAck("message:delete", { id: m.id });
    expect(del.ok && del.message.deleted).toBe(true);
  });

  it("username and icon_url override the name and icon; a non-http icon is refused", async () => {
    const hook = await makeHook("Monitor");
    const m = await delivered(() =>
      postRaw(
        hook.url,
        JSON.stringify({ text: "hi @hook_bob", username: "Uptime", icon_url: "https://x.example/i.png" }),
      ),
    );
    expect(m.bot).toEqual({ name: "Uptime", iconUrl: "https://x.example/i.png" });
    const bad = await postRaw(hook.url, JSON.stringify({ text: "x", icon_url: "javascript:alert(1)" }));
    expect(bad.status).toBe(422);
    expect((await body(bad)).detail).toMatch(/icon_url/);
  });

  it("form-encoded payload=<json>, and plain form fields", async () => {
    const hook = await makeHook("Forms");
    const payload = new URLSearchParams({ payload: JSON.stringify({ text: "from payload", username: "Cron" }) });
    const a = await delivered(() => postRaw(hook.url, payload.toString(), "application/x-www-form-urlencoded"));
    expect(a).toMatchObject({ content: "from payload", bot: { name: "Cron" } });
    const fields = new URLSearchParams({ text: "from fields" });
    const b = await delivered(() => postRaw(hook.url, fields.toString(), "application/x-www-form-urlencoded"));
    expect(b).toMatchObject({ content: "from fields", bot: { name: "Forms" } });
  });

  it("mentions are found as in any message; the /ws client sees the bot too", async () => {
    const hook = await makeHook("Pager");
    const ws = await openWs(server.url, { token: alice });
    await ws.nextOf("history");
    const m = await delivered(() => postRaw(hook.url, JSON.stringify({ text: "@hook_alice the disk is full" })));
    expect(m.mentions).toEqual(["hook_alice"]);
    const frame = await ws.next((f) => f.type === "message" && f.id === m.id);
    expect(frame).toMatchObject({ bot: { name: "Pager" } });
    await ws.close();
  });

  it("empty, invalid JSON, too long and oversize bodies are refused with what is wrong", async () => {
    const hook = await makeHook("Bad");
    expect((await postRaw(hook.url, JSON.stringify({ text: "   " }))).status).toBe(422);
    expect((await postRaw(hook.url, "{not json")).status).toBe(400);
    expect((await postRaw(hook.url, JSON.stringify({ text: "x".repeat(4001) }))).status).toBe(422);
    const huge = await postRaw(hook.url, JSON.stringify({ text: "x".repeat(70 * 1024) }));
    expect(huge.status).toBe(413);
    expect((await body(huge)).detail).toMatch(/too large/);
  });

  it("a revoked hook and forged secrets get 404", async () => {
    const hook = await makeHook("Revoked");
    const del = await fetch(`${server.url}/api/hooks/${hook.id}`, { method: "DELETE", headers: auth(alice) });
    expect(del.status).toBe(200);
    expect((await postRaw(hook.url, JSON.stringify({ text: "still here?" }))).status).toBe(404);
    const secret = hook.url.split("/hooks/")[1]!;
    const forged = secret.slice(0, -1) + (secret.endsWith("A") ? "B" : "A");
    expect((await postRaw(`${server.url}/hooks/${forged}`, JSON.stringify({ text: "x" }))).status).toBe(404);
    expect((await postRaw(`${server.url}/hooks/short`, JSON.stringify({ text: "x" }))).status).toBe(404);
  });

  it("is throttled like a user: past THROTTLE_MESSAGES a 429 with Retry-After, on the hook's own budget", async () => {
    const hook = await makeHook("Flood");
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 6; i++) {
      const res = await postRaw(hook.url, JSON.stringify({ text: `flood ${i}` }));
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get("retry-after");
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // the maker's own budget is untouched
    const ack = await watcher.emitWithAck("message:send", { room: "ops", content: "still me" });
    expect(ack.ok).toBe(true);
  });

  it("the hook stops when its maker leaves the room", async () => {
    const carol = await server.token("hook_carol");
    const s = server.connect({ token: carol });
    await waitConnected(s);
    await s.emitWithAck("room:join", { room: "ops" });
    const hook = await makeHook("Carol's", "ops", carol);
    await s.emitWithAck("room:leave", { room: "ops" });
    expect((await postRaw(hook.url, JSON.stringify({ text: "x" }))).status).toBe(404);
  });
});

describe("the README's curl examples", () => {
  const readme = readFileSync("README.md", "utf8");
  const examples = readme.split("\n").filter((l) => l.startsWith("curl -X POST") && l.includes("$HOOK_URL"));

  it("there are the Grafana- and Uptime Kuma-style ones", () => {
    expect(examples).toHaveLength(2);
  });

  it("each, run with curl exactly as written, posts its text", async () => {
    const hook = await makeHook("README");
    const got: Message[] = [];
    for (const line of examples) {
      const seen = nextEvent(watcher, "message:new");
      const { stdout } = await run("sh", ["-c", `${line} --silent --show-error`], {
        env: { ...process.env, HOOK_URL: hook.url },
      });
      expect(stdout).toBe("ok");
      got.push(await seen);
    }
    expect(got[0]).toMatchObject({
      content:
        "**[[FIRING:1] HighCPU web-1](https://grafana.example.com/alerting/list)**\nCPU above *90%* for 5 minutes on `web-1`",
      bot: { name: "Grafana", iconUrl: "https://grafana.com/static/assets/img/fav32.png" },
    });
    expect(got[1]).toMatchObject({
      content: "[🔴 Down] api.example.com\nConnection refused",
      bot: { name: "Uptime Kuma", iconUrl: null },
    });
  });
});
