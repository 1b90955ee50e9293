// The PostgreSQL connection pool behind the data layer (node-postgres). Prisma's schema stores DateTime as
// `timestamp(3)` without a time zone, holding UTC; node-postgres would write and read it as local time, so it
// writes and reads UTC here. Counts (`count(*)`, bigint) come back as numbers: ours stay far below 2^53.
import pg from "pg";

const TIMESTAMP_OID = 1114;
const INT8_OID = 20;

pg.defaults.parseInputDatesAsUTC = true;
pg.types.setTypeParser(TIMESTAMP_OID, (text) => new Date(`${text.replace(" ", "T")}Z`));
pg.types.setTypeParser(INT8_OID, (text) => Number(text));

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

/** a connection that cannot be opened within this fails (a health check or request answers, never hangs) */
const CONNECT_TIMEOUT_MS = 10_000;

export function createPool(connectionString: string, max: number): Pool {
  // the session's time zone too: CURRENT_TIMESTAMP defaults (createdAt, joinedAt…) are then UTC on any server
  return new pg.Pool({
    connectionString,
    max,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    options: "-c TimeZone=UTC",
  });
}

/**
 * Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws.
 * `begin` may add statements after BEGIN (one round trip, no parameters); `work` gets each one's result.
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient, opened: pg.QueryResult[]) => Promise<T>,
  begin = "BEGIN",
): Promise<T> {
  const client = await pool.connect();
  try {
    // node-postgres answers a query string of several statements with an array of results
    const opened: unknown = await client.query(begin);
    const result = await work(
      client,
      Array.isArray(opened) ? (opened as pg.QueryResult[]) : [opened as pg.QueryResult],
    );
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
