// Search (SPEC.md "Search") against a real server and SQLite file: the query language, membership now,
// deletes and edits reflected at once, paging, refusals; REST and the socket's `search` answer the same.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack, Message, SearchResponse } from "@/lib/protocol";
import { dbRun } from "../helpers/db";
import { onPostgres } from "../helpers/test-database";
import { startTestServer, type TestServer } from "../helpers/test-server";
import { connectedUser, type ConnectedUser } from "../helpers/users";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

type User = ConnectedUser;

let n = 0;
const user = (): Promise<User> => connectedUser(server, `sr${++n}`);

function ok<T extends object>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.detail}`);
  return ack;
}
const say = async (u: User, content: string, room?: string): Promise<Message> =>
  ok(await u.socket.emitWithAck("message:send", { content, ...(room && { room }) })).message;
const sayTo = async (u: User, to: string, content: string): Promise<Message> =>
  ok(await u.socket.emitWithAck("message:send", { content, to })).message;

async function rest(token: string | null, params: Record<string, string | number>) {
  const qs = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
  const res = await fetch(`${server.url}/api/search?${qs.toString()}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, body: (await res.json()) as SearchResponse & { detail?: string } };
}

/** ids found by `q` for `u` over the socket, newest first */
async function ids(u: User, q: string): Promise<number[]> {
  const page = ok(await u.socket.emitWithAck("search", { q, limit: 100 }));
  return page.results.map((r) => r.message.id);
}

async function room(owner: User, opts: { private?: boolean } = {}): Promise<string> {
  const name = `sroom${++n}`;
  ok(await owner.socket.emitWithAck("room:create", { name, ...opts }));
  return name;
}

// every test uses words of its own, so the messages of other tests never match
const tag = () => `zq${++n}x`;

describe("search: the query language", () => {
  it("every word must match; results newest first, with highlight ranges", async () => {
    const a = await user();
    const t = tag();
    const one = await say(a, `${t} deploy to staging`);
    const two = await say(a, `${t} deploy to production`);
    await say(a, `${t} nothing here`);
    expect(await ids(a, `${t} deploy`)).toEqual([two.id, one.id]);
    expect(await ids(a, `${t} staging deploy`)).toEqual([one.id]);
    const { body } = await rest(a.token, { q: `deploy ${t} production` });
    const hit = body.results[0]!;
    expect(hit.message.id).toBe(two.id);
    expect(hit.highlights.map(([s, e]) => hit.message.content.slice(s, e))).toEqual([t, "deploy", "production"]);
  });

  it("word* matches a prefix, quoted phrases their words in order", async () => {
    const a = await user();
    const t = tag();
    const m1 = await say(a, `${t} redeploying the rolled back build`);
    const m2 = await say(a, `${t} back, rolled over`);
    expect(await ids(a, `${t} redeploy*`)).toEqual([m1.id]);
    expect(await ids(a, `${t.slice(0, 3)}*`)).toEqual(expect.arrayContaining([m1.id, m2.id]));
    expect(await ids(a, `${t} "rolled back"`)).toEqual([m1.id]);
    expect(await ids(a, `${t} rolled back`)).toEqual([m2.id, m1.id]);
  });

  it("folds diacritics and case both ways", async () => {
    const a = await user();
    const t = tag();
    const m = await say(a, `${t} Meet at the Café, Zürich`);
    expect(await ids(a, `${t} cafe`)).toEqual([m.id]);
    expect(await ids(a, `${t} ZURICH`)).toEqual([m.id]);
    expect(await ids(a, `${t} café`)).toEqual([m.id]);
  });

  it("from: keeps one sender's messages", async () => {
    const [a, b] = [await user(), await user()];
    const t = tag();
    await say(a, `${t} from a`);
    const mb = await say(b, `${t} from b`);
    expect(await ids(a, `${t} from:${b.name.toUpperCase()}`)).toEqual([mb.id]);
    expect(await ids(a, `from:@${b.name} ${t}`)).toEqual([mb.id]);
    expect(await ids(a, `${t} from:nobodyhere`)).toEqual([]);
    // operators alone list what they select
    expect(await ids(a, `from:${b.name} in:general`)).toContain(mb.id);
  });

  it("in: a room (bare or #), in:@user the DM", async () => {
    const [a, b] = [await user(), await user()];
    const t = tag();
    const ops = await room(a);
    const inRoom = await say(a, `${t} in the room`, ops);
    const inGeneral = await say(a, `${t} in general`);
    const inDm = await sayTo(a, b.name, `${t} in the dm`);
    expect(await ids(a, `${t}`)).toEqual([inDm.id, inGeneral.id, inRoom.id]);
    expect(await ids(a, `${t} in:${ops}`)).toEqual([inRoom.id]);
    expect(await ids(a, `${t} in:#${ops.toUpperCase()}`)).toEqual([inRoom.id]);
    expect(await ids(a, `${t} in:@${b.name}`)).toEqual([inDm.id]);
    expect(await ids(b, `${t} in:@${a.name}`)).toEqual([inDm.id]);
    expect(await ids(a, `${t} in:nosuchroom`)).toEqual([]);
  });

  it("before: and after: bound the day (UTC)", async () => {
    const a = await user();
    const t = tag();
    const old = await say(a, `${t} old news`);
    const recent = await say(a, `${t} recent news`);
    // an old message: the date moved back in the database (the server writes only now), as each stores it
    const oldDate = onPostgres ? [new Date("2025-06-15T12:00:00.000Z")] : ["2025-06-15T12:00:00.000+00:00"];
    await dbRun(server, `UPDATE "Message" SET "createdAt" = ? WHERE "id" = ?`, ...oldDate, old.id);
    expect(await ids(a, `${t} before:2025-06-16`)).toEqual([old.id]);
    expect(await ids(a, `${t} before:2025-06-15`)).toEqual([]);
    expect(await ids(a, `${t} after:2025-06-14 before:2025-06-16`)).toEqual([old.id]);
    expect(await ids(a, `${t} after:2025-06-15`)).toEqual([recent.id]);
  });

  it("FTS5 syntax in the input is only text", async () => {
    const a = await user();
    const t = tag();
    const m = await say(a, `${t} NOT OR AND NEAR(x) "quoted" col:umn ^start`);
    for (const q of [`${t} NOT`, `${t} OR AND`, `${t} NEAR(x)`, `${t} col:umn`, `${t} ^start`, `${t} "quoted"`])
      expect(await ids(a, q)).toEqual([m.id]);
    expect((await rest(a.token, { q: `${t} "unclosed` })).status).toBe(422);
    expect((await rest(a.token, { q: `${t} * ( ) :` })).status).toBe(200);
  });
});

describe("search: what may match", () => {
  it("only rooms the user is a member of now; never others' private rooms", async () => {
    const [a, b] = [await user(), await user()];
    const t = tag();
    const pub = await room(a);
    const secret = await room(a, { private: true });
    const inPub = await say(a, `${t} public words`, pub);
    await say(a, `${t} secret words`, secret);
    expect(await ids(b, t)).toEqual([]);
    ok(await b.socket.emitWithAck("room:join", { room: pub }));
    expect(await ids(b, t)).toEqual([inPub.id]);
    ok(await b.socket.emitWithAck("room:leave", { room: pub }));
    expect(await ids(b, t)).toEqual([]);
    expect(await ids(b, `${t} in:${secret}`)).toEqual([]);
  });

  it("a deleted message never matches; an edited one only by its current text", async () => {
    const a = await user();
    const t = tag();
    const m = await say(a, `${t} original wording`);
    const gone = await say(a, `${t} doomed message`);
    ok(await a.socket.emitWithAck("message:edit", { id: m.id, content: `${t} revised text` }));
    expect(await ids(a, `${t} original`)).toEqual([]);
    expect(await ids(a, `${t} revised`)).toEqual([m.id]);
    ok(await a.socket.emitWithAck("message:delete", { id: gone.id }));
    expect(await ids(a, `${t} doomed`)).toEqual([]);
    expect(await ids(a, t)).toEqual([m.id]);
    expect(await ids(a, `from:${a.name}`)).not.toContain(gone.id);
  });

  it("pages newest first with the cursor until next is null", async () => {
    const a = await user();
    const t = tag();
    const sent: number[] = [];
    for (let i = 0; i < 7; i++) sent.push((await say(a, `${t} page ${i}`)).id);
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const { status, body } = await rest(a.token, { q: t, limit: 3, ...(cursor && { cursor }) });
      expect(status).toBe(200);
      seen.push(...body.results.map((r) => r.message.id));
      cursor = body.next;
      if (!cursor) break;
    }
    expect(seen).toEqual([...sent].reverse());
    expect((await rest(a.token, { q: t })).body.results).toHaveLength(7);
  });
});

describe("search: refusals", () => {
  it("422 for an empty or unparseable query or bad paging, with a clear detail", async () => {
    const a = await user();
    for (const [params, detail] of [
      [{ q: "" }, "search for something"],
      [{ q: "   " }, "search for something"],
      [{ q: '"open' }, "closing quote"],
      [{ q: "before:someday" }, "YYYY-MM-DD"],
      [{ q: "x", limit: 101 }, "at most 100"],
      [{ q: "x", limit: 0 }, "at least 1"],
      [{ q: "x", cursor: "abc" }, "cursor"],
    ] as const) {
      const res = await rest(a.token, params);
      expect(res.status, JSON.stringify(params)).toBe(422);
      expect(res.body.detail).toContain(detail);
    }
    const missing = await fetch(`${server.url}/api/search`, { headers: { authorization: `Bearer ${a.token}` } });
    expect(missing.status).toBe(422);
    const ack = await a.socket.emitWithAck("search", { q: "" });
    expect(ack.ok ? "ok" : ack.error.code).toBe("invalid_input");
  });

  it("401 without a session", async () => {
    expect((await rest(null, { q: "x" })).status).toBe(401);
    expect((await rest("not-a-token", { q: "x" })).status).toBe(401);
  });
});
