// Search against a naive filter (issue #13): random sends, edits and deletes by three users in a public and a
// private room, then random queries (words, prefixes, phrases, from:, in:). The server's results, newest first,
// must equal a plain scan of what each searcher may read now: live messages, current text, folded case and
// diacritics. State carries over between runs, so later queries see a longer, more edited history.
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Ack } from "@/lib/protocol";
import { parseQuery, tokensOf, type SearchTerm } from "@/lib/search/query";
import { nextEvent, startTestServer, type TestServer, type TestSocket } from "../helpers/test-server";

interface Stored {
  id: number;
  author: string;
  room: string;
  content: string;
  deleted: boolean;
}

const WORDS = ["deploy", "deploying", "Café", "cafe", "staging", "rollback", "alpha", "Beta", "naïve"];
const USERS = ["spa", "spb", "spc"];
const PRIVATE = "spriv"; // spa and spb only
const LIMIT = 100;

let server: TestServer;
const sockets = new Map<string, TestSocket>();
const stored: Stored[] = [];

function ok<T extends object>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.detail}`);
  return ack;
}
const sock = (name: string): TestSocket => sockets.get(name)!;

beforeAll(async () => {
  server = await startTestServer();
  for (const name of USERS) {
    const socket = server.connect({ token: await server.token(name) });
    await nextEvent(socket, "history");
    sockets.set(name, socket);
  }
  ok(await sock("spa").emitWithAck("room:create", { name: PRIVATE, private: true }));
  ok(await sock("spa").emitWithAck("room:invite", { room: PRIVATE, username: "spb" }));
});
afterAll(async () => {
  await server.close();
});

const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
const tokens = (s: string) => tokensOf(s).map(fold);

function termMatches(words: string[], t: SearchTerm): boolean {
  if (t.kind === "word") return words.some((w) => (t.prefix ? w.startsWith(fold(t.text)) : w === fold(t.text)));
  const phrase = t.words.map(fold);
  return words.some((_, i) => phrase.every((p, j) => words[i + j] === p));
}

/** What a plain scan finds for `searcher`: readable rooms now, live messages, every term. */
function naive(searcher: string, q: string): number[] {
  const parsed = parseQuery(q);
  const readable = (room: string) => room === "general" || (room === PRIVATE && searcher !== "spc");
  return stored
    .filter((m) => !m.deleted && readable(m.room))
    .filter((m) => parsed.from === undefined || m.author === parsed.from)
    .filter((m) => parsed.in === undefined || ("room" in parsed.in && m.room === parsed.in.room))
    .filter((m) => parsed.terms.every((t) => termMatches(tokens(m.content), t)))
    .map((m) => m.id)
    .sort((a, b) => b - a)
    .slice(0, LIMIT);
}

const text = fc
  .array(fc.oneof(fc.constantFrom(...WORDS), fc.constantFrom("the", "and", "v2", "!", "—")), {
    minLength: 1,
    maxLength: 6,
  })
  .map((ws) => ws.join(" "));

type Op =
  | { kind: "send"; user: string; room: string; content: string }
  | { kind: "edit"; pick: number; content: string }
  | { kind: "delete"; pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("send" as const),
      user: fc.constantFrom(...USERS),
      room: fc.constantFrom("general", PRIVATE),
      content: text,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("edit" as const), pick: fc.nat(), content: text }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }) },
);

const word = fc.constantFrom(...WORDS, "missing");
const term = fc.oneof(
  word,
  word.map((w) => `${w.slice(0, 3)}*`),
  fc.tuple(word, word).map(([a, b]) => `"${a} ${b}"`),
);
const query = fc
  .record({
    terms: fc.array(term, { minLength: 0, maxLength: 2 }),
    from: fc.option(fc.constantFrom(...USERS), { nil: undefined }),
    in: fc.option(fc.constantFrom("general", `#${PRIVATE}`), { nil: undefined }),
  })
  .filter((r) => r.terms.length > 0 || r.from !== undefined)
  .map((r) => [...r.terms, ...(r.from ? [`from:${r.from}`] : []), ...(r.in ? [`in:${r.in}`] : [])].join(" "));

async function apply(o: Op): Promise<void> {
  if (o.kind === "send") {
    if (o.room === PRIVATE && o.user === "spc") return; // not a member: refused, covered elsewhere
    const { message } = ok(await sock(o.user).emitWithAck("message:send", { content: o.content, room: o.room }));
    stored.push({ id: message.id, author: o.user, room: o.room, content: o.content, deleted: false });
    return;
  }
  const live = stored.filter((m) => !m.deleted);
  const target = live[o.pick % Math.max(1, live.length)];
  if (!target) return;
  if (o.kind === "edit") {
    ok(await sock(target.author).emitWithAck("message:edit", { id: target.id, content: o.content }));
    target.content = o.content;
  } else {
    ok(await sock(target.author).emitWithAck("message:delete", { id: target.id }));
    target.deleted = true;
  }
}

it("results equal a naive filter over what the searcher may read", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(op, { minLength: 1, maxLength: 8 }),
      fc.array(fc.tuple(fc.constantFrom(...USERS), query), { minLength: 1, maxLength: 4 }),
      async (ops, queries) => {
        for (const o of ops) await apply(o);
        for (const [searcher, q] of queries) {
          const page = ok(await sock(searcher).emitWithAck("search", { q, limit: LIMIT }));
          expect(
            page.results.map((r) => r.message.id),
            `${searcher}: ${q}`,
          ).toEqual(naive(searcher, q));
        }
      },
    ),
    { numRuns: 40 },
  );
}, 120_000);
