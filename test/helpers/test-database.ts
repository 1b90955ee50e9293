// Which database the test servers run on. `TEST_DATABASE=postgres` (npm run test:pg) switches every test
// server to PostgreSQL: the global setup (pg-global-setup.ts) starts one PostgreSQL for the run and
// migrates a template database; each test server then gets a fresh database copied from it. Otherwise
// (the default) each test server has its own SQLite file.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

export const onPostgres = process.env.TEST_DATABASE === "postgres";

/** the maintenance URL of the run's PostgreSQL (set by the global setup, inherited by workers and children) */
export const POSTGRES_URL_ENV = "CHATTERBOX_TEST_POSTGRES";
/** the migrated database every test database is copied from */
export const TEMPLATE_DATABASE = "chatterbox_template";

/** `fn` with a connection of its own to the database at `url`, closed after */
export async function withPg<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = process.env[POSTGRES_URL_ENV];
  if (!url) throw new Error(`TEST_DATABASE=postgres needs the global setup (test/helpers/pg-global-setup.ts)`);
  return withPg(url, fn);
}

const databaseUrl = (name: string) => {
  const url = new URL(process.env[POSTGRES_URL_ENV]!);
  url.pathname = `/${name}`;
  return url.toString();
};

/**
 * The DATABASE_URL of the test server whose data lives in `dir`: its SQLite file, or (on PostgreSQL) the
 * database made for `dir` the first time (a restart on the same dir finds the same database).
 */
export async function testDatabaseUrl(dir: string): Promise<string> {
  if (!onPostgres) return `file:${path.join(dir, "test.db")}`;
  const marker = path.join(dir, "postgres-url");
  if (existsSync(marker)) return readFileSync(marker, "utf8");
  const name = `t_${randomBytes(6).toString("hex")}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`));
  const url = databaseUrl(name);
  writeFileSync(marker, url);
  return url;
}

/** Drops a test server's PostgreSQL database (a no-op on SQLite). */
export async function dropTestDatabase(url: string): Promise<void> {
  if (!url.startsWith("postgresql://")) return;
  const name = new URL(url).pathname.slice(1);
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/**
 * Takes a test server's PostgreSQL database away (no new connections, every open one closed) or gives it
 * back: an outage the server must report and recover from.
 */
export async function setReachable(url: string, reachable: boolean): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await withAdmin(async (client) => {
    await client.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS ${reachable}`);
    if (!reachable)
      await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
  });
}
