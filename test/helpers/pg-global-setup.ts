// Vitest global setup: under TEST_DATABASE=postgres, one PostgreSQL for the whole run (test-database.ts),
// with the migrated template database test servers copy. Does nothing on SQLite.
import pg from "pg";
import { migratePgDatabase } from "@/lib/db/pg/migrate";
import { startPostgres } from "./postgres";
import { onPostgres, POSTGRES_URL_ENV, TEMPLATE_DATABASE } from "./test-database";

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (!onPostgres) return undefined;
  const server = await startPostgres();
  const admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await admin.end();
  await migratePgDatabase(server.url(TEMPLATE_DATABASE));
  // workers and the servers they spawn inherit it
  process.env[POSTGRES_URL_ENV] = server.url();
  return () => server.stop();
}
