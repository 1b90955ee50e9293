// Direct looks at a test server's database, on SQLite (a read-only connection to its file) or on PostgreSQL
// under TEST_DATABASE=postgres: what is really stored, independent of the data layer. Tests write SQL once,
// in SQLite's dialect with `?` parameters; on PostgreSQL the parameters become $1… and the schema's mixed-case
// names are quoted ("Message", "clientId"), outside string literals only.
import { readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { withPg } from "./test-database";
import { databaseFilesContain, sqliteAll } from "./sqlite";
// the server's type parsers (timestamps in UTC, counts as numbers): the rows read here look like the server's
import "@/lib/db/pg/pool";

export interface HasDatabase {
  databasePath: string;
  databaseUrl: string;
}

const onPg = (server: HasDatabase) => server.databaseUrl.startsWith("postgres");

// every model and field name of the schema that PostgreSQL would fold to lower case
const MIXED_CASE = [
  ...new Set(
    [
      ...readFileSync(path.resolve(import.meta.dirname, "../../prisma/schema.prisma"), "utf8").matchAll(
        /^\s*(?:model\s+)?(\w+)/gm,
      ),
    ]
      .map((m) => m[1]!)
      .filter((name) => /[A-Z]/.test(name)),
  ),
].sort((a, b) => b.length - a.length);
const IDENTIFIER = new RegExp(`(?<!["\\w])(${MIXED_CASE.join("|")})(?!["\\w])`, "g");

/** SQLite-dialect test SQL as PostgreSQL takes it */
export function toPgSql(sql: string): string {
  let n = 0;
  return sql
    .split(/('(?:[^']|'')*')/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(IDENTIFIER, '"$1"').replace(/\?/g, () => `$${++n}`)))
    .join("");
}

/** Rows of one query (dates are Date on PostgreSQL, text or numbers on SQLite: read them with sqliteDate). */
export async function dbAll<T>(server: HasDatabase, sql: string, ...params: unknown[]): Promise<T[]> {
  if (!onPg(server)) return sqliteAll<T>(server.databasePath, sql, ...params);
  return withPg(server.databaseUrl, async (c) => (await c.query<T & object>(toPgSql(sql), params)).rows as T[]);
}

/** A number read from the first column of the first row (count(*) and the like). */
export async function dbNumber(server: HasDatabase, sql: string, ...params: unknown[]): Promise<number> {
  const [row] = await dbAll<Record<string, unknown>>(server, sql, ...params);
  return Number(Object.values(row ?? {})[0]);
}

/** A write behind the server's back (moving a date into the past and the like). */
export async function dbRun(server: HasDatabase, sql: string, ...params: unknown[]): Promise<void> {
  if (onPg(server)) return withPg(server.databaseUrl, async (c) => void (await c.query(toPgSql(sql), params)));
  const db = new Database(server.databasePath, { timeout: 5000 });
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

/** A date as a parameter of dbRun: Prisma's UTC text on SQLite, a Date on PostgreSQL. */
export const dbTimestamp = (server: HasDatabase, d: Date): Date | string =>
  onPg(server) ? d : d.toISOString().replace("Z", "+00:00");

/**
 * Whether `needle` is stored anywhere: on SQLite, byte for byte in the file or its WAL / journal; on
 * PostgreSQL, in any column of any table of the database (as text).
 */
export async function dbContains(server: HasDatabase, needle: string): Promise<boolean> {
  if (!onPg(server)) return databaseFilesContain(server.databasePath, needle);
  return withPg(server.databaseUrl, async (c) => {
    const { rows: columns } = await c.query<{ t: string; c: string }>(
      `SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    for (const { t, c: col } of columns) {
      const hit = await c.query(`SELECT 1 FROM "${t}" WHERE position($1 in "${col}"::text) > 0 LIMIT 1`, [needle]);
      if (hit.rowCount) return true;
    }
    return false;
  });
}
