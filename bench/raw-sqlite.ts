// Baselines that need no server, run as their own process pinned to the server's core:
//   insert  <db> <seconds> <max>        single-row INSERTs, each its own transaction, WAL + synchronous=FULL
//                                         (what the server sets), into the real schema (the committed migrations)
//   insert-serve <db>                    the same, in rounds: reads `run <seconds>` lines on stdin, answers each
//                                         with a RESULT line (the bench interleaves these with the server's rounds)
//   history <db> <room> <queries>        the last-50 and `before` page queries straight on better-sqlite3
//   search  <db> <cases.json>            the search scenario's queries as the same FTS5 MATCH + join, no server
//   bcrypt  <seconds> <cost>             bcrypt compares per second on one thread (bcryptjs, as the server's worker)
// Prints one line `RESULT <json>`.
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import Database from "better-sqlite3";
import bcrypt from "bcryptjs";
import { toFts5Match } from "../lib/search/fts5";
import { parseQuery } from "../lib/search/query";
import { REPO_ROOT } from "./lib/procs";
import type { RawSearch, SearchQueryCase } from "./scenarios/search";
import { percentile } from "./lib/stats";

const CONTENT = "The quick brown fox jumps over the lazy dog; benchmark message body.";

function migrate(db: Database.Database): void {
  const dir = path.join(REPO_ROOT, "prisma", "migrations");
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  for (const name of names) db.exec(readFileSync(path.join(dir, name, "migration.sql"), "utf8"));
}

function openInserter(file: string) {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  migrate(db);
  db.prepare(`INSERT INTO "User" (username, usernameKey, passwordHash) VALUES ('raw', 'raw', 'x')`).run();
  const userId = Number(db.prepare(`SELECT id FROM "User" WHERE usernameKey = 'raw'`).pluck().get());
  const stmt = db.prepare(
    `INSERT INTO "Message" (room, userId, username, content, createdAt, clientId, seq)
     VALUES (?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM "Message")) RETURNING id`,
  );
  return {
    run(seconds: number, max: number) {
      const start = performance.now();
      const deadline = start + seconds * 1000;
      let n = 0;
      while (n < max && performance.now() < deadline) {
        stmt.get("general", userId, "raw", CONTENT, new Date().toISOString(), randomUUID());
        n++;
      }
      const elapsed = (performance.now() - start) / 1000;
      return { inserts: n, seconds: elapsed, perSec: n / elapsed };
    },
    close: () => db.close(),
  };
}

function insert(file: string, seconds: number, max: number): object {
  const inserter = openInserter(file);
  const result = inserter.run(seconds, max);
  inserter.close();
  return result;
}

function insertServe(file: string): void {
  const inserter = openInserter(file);
  process.stdout.write("READY\n");
  const lines = createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    const [cmd, arg] = line.trim().split(/\s+/);
    if (cmd === "run") process.stdout.write(`RESULT ${JSON.stringify(inserter.run(Number(arg), 10_000_000))}\n`);
    else lines.close();
  });
  lines.on("close", () => {
    inserter.close();
    process.exit(0);
  });
}

function history(file: string, room: string, queries: number): object {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const cols = `id, userId, username, content, createdAt, room, clientId`;
  const last = db.prepare(`SELECT ${cols} FROM "Message" WHERE room = ? ORDER BY id DESC LIMIT 50`);
  const before = db.prepare(`SELECT ${cols} FROM "Message" WHERE room = ? AND id < ? ORDER BY id DESC LIMIT 50`);
  const bounds = db.prepare(`SELECT min(id) AS lo, max(id) AS hi FROM "Message" WHERE room = ?`).get(room) as {
    lo: number;
    hi: number;
  };
  const time = (fn: () => unknown[]): number => {
    const t = performance.now();
    const rows = fn();
    if (rows.length === 0) throw new Error("empty page");
    return performance.now() - t;
  };
  const lastMs: number[] = [];
  const beforeMs: number[] = [];
  for (let i = 0; i < Math.min(queries, 100); i++) time(() => last.all(room)); // warm-up
  for (let i = 0; i < queries; i++) {
    lastMs.push(time(() => last.all(room)));
    const cursor = bounds.lo + 50 + Math.floor(Math.random() * Math.max(1, bounds.hi - bounds.lo - 50));
    beforeMs.push(time(() => before.all(room, cursor)));
  }
  db.close();
  return {
    lastP50Ms: percentile(lastMs, 50),
    lastP99Ms: percentile(lastMs, 99),
    beforeP50Ms: percentile(beforeMs, 50),
    beforeP99Ms: percentile(beforeMs, 99),
  };
}

/** The server's statement (lib/db/search.ts) with its parameters bound by hand: rooms, author, MATCH. */
function search(file: string, casesFile: string): RawSearch {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const cases = JSON.parse(readFileSync(casesFile, "utf8")) as SearchQueryCase[];
  const rooms = JSON.stringify(db.prepare(`SELECT name FROM "Room"`).pluck().all());
  const userId = db.prepare(`SELECT id FROM "User" WHERE usernameKey = ?`).pluck();
  const stmt = db.prepare(
    `SELECT m.id, m.userId, m.username, m.content, m.createdAt, m.room FROM "MessageSearch" s
       CROSS JOIN "Message" m ON m.id = s.rowid
      WHERE "MessageSearch" MATCH ? AND m.room IN (SELECT value FROM json_each(?)) AND m.deleted = 0
        AND (? IS NULL OR m.userId = ?) ORDER BY s.rowid DESC LIMIT 21`,
  );
  const times: Record<string, number[]> = {};
  const once = (c: SearchQueryCase) => {
    const parsed = parseQuery(c.q);
    const author = parsed.from === undefined ? null : (userId.get(parsed.from.toLowerCase()) as number);
    stmt.all(toFts5Match(parsed.terms, author), rooms, author, author);
  };
  for (const c of cases.slice(0, 100)) once(c);
  for (const c of cases) {
    const t = performance.now();
    once(c);
    (times[c.kind] ??= []).push(performance.now() - t);
  }
  db.close();
  const of = (k: string) => ({ p50Ms: percentile(times[k] ?? [0], 50), p99Ms: percentile(times[k] ?? [0], 99) });
  return { oneWord: of("oneWord"), twoWords: of("twoWords"), phrase: of("phrase"), fromWord: of("fromWord") };
}

function bcryptRate(seconds: number, cost: number): object {
  const hash = bcrypt.hashSync("bench-password-123", cost);
  const start = performance.now();
  const deadline = start + seconds * 1000;
  let n = 0;
  while (n < 100_000 && performance.now() < deadline) {
    if (!bcrypt.compareSync("bench-password-123", hash)) throw new Error("compare failed");
    n++;
  }
  const elapsed = (performance.now() - start) / 1000;
  return { compares: n, seconds: elapsed, perSec: n / elapsed };
}

const [mode, ...args] = process.argv.slice(2);
let result: object | undefined;
if (mode === "insert-serve") insertServe(args[0]!);
else if (mode === "insert") result = insert(args[0]!, Number(args[1]), Number(args[2]));
else if (mode === "history") result = history(args[0]!, args[1]!, Number(args[2]));
else if (mode === "search") result = search(args[0]!, args[1]!);
else if (mode === "bcrypt") result = bcryptRate(Number(args[0]), Number(args[1]));
else throw new Error(`unknown mode ${mode}`);
if (result) process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
