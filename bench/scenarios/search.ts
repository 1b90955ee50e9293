// search: p99 of four kinds of query — one word, two words, a phrase, from:<user> + a word — over socket.io's
// `search` (how connected clients search), one at a time, on a corpus of Zipf-distributed words seeded straight
// into SQLite (the index filled by the triggers, as for the server's own writes): `rows` messages from `users`
// users in `rooms` rooms, the searcher a member of all. Beside it, in the same run, the same MATCH statements
// on raw better-sqlite3 (bench/raw-sqlite.ts search), so the transport and service cost can be told apart.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { SioClient } from "../lib/clients";
import type { Profile } from "../lib/profiles";
import { createCorpus } from "../lib/search-corpus";
import { seedSearchCorpus, seedUsers } from "../lib/seed";
import { runRawBaseline, startChatterbox } from "../lib/servers";
import { percentiles, round, Samples } from "../lib/stats";

export const SEARCH_KINDS = ["oneWord", "twoWords", "phrase", "fromWord"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];
export interface SearchQueryCase {
  kind: SearchKind;
  q: string;
}
export type RawSearch = Record<SearchKind, { p50Ms: number; p99Ms: number }>;

function queryCases(corpus: ReturnType<typeof createCorpus>, users: string[], perKind: number): SearchQueryCase[] {
  const cases: SearchQueryCase[] = [];
  const user = () => users[Math.floor(corpus.random() * users.length)]!;
  for (let i = 0; i < perKind; i++) {
    const words = corpus.sentence().split(" ");
    cases.push(
      { kind: "oneWord", q: corpus.word() },
      { kind: "twoWords", q: `${corpus.word()} ${corpus.word()}` },
      { kind: "phrase", q: `"${words[0]} ${words[1]}"` },
      { kind: "fromWord", q: `from:${user()} ${corpus.word()}` },
    );
  }
  return cases;
}

async function timeOverSocket(url: string, token: string, cases: SearchQueryCase[]) {
  const client = await SioClient.connect(url, token);
  const samples = Object.fromEntries(SEARCH_KINDS.map((k) => [k, new Samples()])) as Record<SearchKind, Samples>;
  let hits = 0;
  try {
    const once = async (c: SearchQueryCase) => {
      const ack = await client.request<{ ok: boolean; results?: unknown[] }>("search", { q: c.q, limit: 20 });
      if (!ack.ok) throw new Error(`search ${c.q}: ${JSON.stringify(ack)}`);
      return ack.results?.length ?? 0;
    };
    for (const c of cases.slice(0, 100)) await once(c); // warm-up
    for (const c of cases) {
      const t0 = performance.now();
      hits += await once(c);
      samples[c.kind].push(performance.now() - t0);
    }
  } finally {
    client.close();
  }
  const timing = (k: SearchKind) => {
    const [p50, p99] = percentiles(samples[k].values(), [50, 99]);
    return { p50Ms: round(p50!), p99Ms: round(p99!) };
  };
  return { hits, ...(Object.fromEntries(SEARCH_KINDS.map((k) => [k, timing(k)])) as RawSearch) };
}

export async function searchScenario(profile: Profile, log: (s: string) => void) {
  const p = profile.search;
  const server = await startChatterbox();
  try {
    const users = seedUsers(server.databasePath, { prefix: "srch", count: p.users });
    const corpus = createCorpus();
    const t = performance.now();
    seedSearchCorpus(server.databasePath, { users, rooms: p.rooms, rows: p.rows, ...corpus });
    const seedSeconds = round((performance.now() - t) / 1000, 1);
    log(`  seeded ${p.rows} messages (and indexed, as the server's batches do) in ${seedSeconds} s`);
    const cases = queryCases(
      corpus,
      users.map((u) => u.username),
      p.queries,
    );
    const measured = await timeOverSocket(server.url, users[0]!.token, cases);
    const casesFile = path.join(path.dirname(server.databasePath), "search-cases.json");
    writeFileSync(casesFile, JSON.stringify(cases));
    const raw = await runRawBaseline<RawSearch>(["search", server.databasePath, casesFile], 300_000);
    const line = (k: SearchKind) => `${k} ${measured[k].p99Ms} (raw ${raw[k].p99Ms.toFixed(3)})`;
    log(`  p99 ms, socket.io (raw SQLite): ${SEARCH_KINDS.map(line).join(", ")}`);
    return {
      rows: p.rows,
      users: p.users,
      rooms: p.rooms,
      queriesPerKind: p.queries,
      seedSeconds,
      transport: "socket.io search",
      /** the target: the worst kind's p99 */
      p99Ms: Math.max(...SEARCH_KINDS.map((k) => measured[k].p99Ms)),
      meanHitsPerQuery: round(measured.hits / cases.length, 1),
      ...Object.fromEntries(
        SEARCH_KINDS.flatMap((k) => [
          [`${k}P50Ms`, measured[k].p50Ms],
          [`${k}P99Ms`, measured[k].p99Ms],
          [`rawSqlite${k[0]!.toUpperCase()}${k.slice(1)}P99Ms`, round(raw[k].p99Ms, 4)],
        ]),
      ),
    };
  } finally {
    await server.stop();
  }
}
