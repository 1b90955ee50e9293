// What the PostgreSQL data-layer tests share: a database per describe with the committed PostgreSQL migrations
// applied, and rows inserted with plain SQL. Applying the files here is a test fixture only: the runtime
// migrator (start-up, under Prisma's advisory lock) replaces it once it lands.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createPool, type Pool } from "../../../lib/db/pg/pool";
import type { TestPostgres } from "../../helpers/postgres";

const MIGRATIONS = path.resolve(import.meta.dirname, "../../../prisma/postgres/migrations");

/** a fresh database on `server` with every migration applied, in folder order, each in one transaction */
export async function migratedPool(server: TestPostgres, max = 8): Promise<Pool> {
  const pool = createPool(await server.createDatabase(), max);
  // pool.end() resolves before its connections have closed: stopping the server then terminates them
  // (57P01), which the pool reports as an idle client's error. Anything else is a failure.
  pool.on("error", (err: Error & { code?: string }) => {
    if (err.code !== "57P01") throw err;
  });
  const folders = readdirSync(MIGRATIONS, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  for (const folder of folders) {
    // one query: one implicit transaction for the whole file
    await pool.query(readFileSync(path.join(MIGRATIONS, folder, "migration.sql"), "utf8"));
  }
  return pool;
}

/** a user (a member of general, like every account): its id */
export async function insertUser(
  pool: Pool,
  username: string,
  opts: { admin?: boolean; deactivatedAt?: Date | null; createdAt?: Date } = {},
): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO "User" ("username", "usernameKey", "passwordHash", "admin", "deactivatedAt", "createdAt")
      VALUES ($1, $2, 'hash', $3, $4, $5) RETURNING "id"`,
    [username, username.toLowerCase(), opts.admin ?? false, opts.deactivatedAt ?? null, opts.createdAt ?? new Date()],
  );
  const id = rows[0]!.id;
  await pool.query(
    `INSERT INTO "Membership" ("roomId", "userId") SELECT "id", $1 FROM "Room" WHERE "nameKey" = 'general'`,
    [id],
  );
  return id;
}

/** a room with these members: its id */
export async function insertRoom(pool: Pool, name: string, memberIds: number[]): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO "Room" ("name", "nameKey") VALUES ($1, $2) RETURNING "id"`,
    [name, name.toLowerCase()],
  );
  const id = rows[0]!.id;
  for (const userId of memberIds) {
    await pool.query(`INSERT INTO "Membership" ("roomId", "userId") VALUES ($1, $2)`, [id, userId]);
  }
  return id;
}

export async function insertSession(pool: Pool, userId: number, tokenHash: string): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO "Session" ("userId", "tokenHash", "expiresAt") VALUES ($1, $2, $3) RETURNING "id"`,
    [userId, tokenHash, new Date(Date.now() + 86_400_000)],
  );
  return rows[0]!.id;
}

export async function sessionIdsOf(pool: Pool, userId: number): Promise<number[]> {
  const { rows } = await pool.query<{ id: number }>(`SELECT "id" FROM "Session" WHERE "userId" = $1 ORDER BY "id"`, [
    userId,
  ]);
  return rows.map((r) => r.id);
}

/** a message in `room` by `userId`: its id */
export async function insertMessage(pool: Pool, room: string, userId: number, content: string): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO "Message" ("room", "userId", "username", "content", "seq")
      SELECT $1, $2, "username", $3, (SELECT coalesce(max("seq"), 0) + 1 FROM "Message") FROM "User" WHERE "id" = $2
      RETURNING "id"`,
    [room, userId, content],
  );
  return rows[0]!.id;
}

/** resolves once some backend of this database waits for a lock (a positive barrier, not a sleep) */
export async function untilSomeoneWaitsForALock(pool: Pool): Promise<void> {
  for (;;) {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*) AS "n" FROM pg_stat_activity WHERE "datname" = current_database() AND "wait_event_type" = 'Lock'`,
    );
    if (rows[0]!.n > 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}
