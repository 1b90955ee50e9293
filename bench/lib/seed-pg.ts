// Users with sessions written straight into a PostgreSQL database (as bench/lib/seed.ts does for SQLite):
// thousands of users in a second instead of a bcrypt each through the API.
import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import type { SeededUser } from "./seed";

export async function seedUsersPg(url: string, opts: { prefix: string; count: number }): Promise<SeededUser[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("BEGIN");
    const general = await client.query<{ id: number }>(`SELECT id FROM "Room" WHERE "nameKey" = 'general'`);
    const generalId = general.rows[0]?.id;
    if (generalId === undefined) throw new Error("the database has no general room: is it migrated?");
    const expires = new Date(Date.now() + 30 * 24 * 3600 * 1000);
    const users: SeededUser[] = [];
    for (let i = 0; i < opts.count; i++) {
      const username = `${opts.prefix}${i}`;
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO "User" (username, "usernameKey", "passwordHash") VALUES ($1, $2, $3) RETURNING id`,
        [username, username.toLowerCase(), "$2b$10$invalidinvalidinvalidinvalidinvalidinvalidinvalidinva"],
      );
      const userId = rows[0]!.id;
      await client.query(`INSERT INTO "Membership" ("roomId", "userId", "lastReadId") VALUES ($1, $2, 0)`, [
        generalId,
        userId,
      ]);
      const token = randomBytes(32).toString("base64url");
      await client.query(`INSERT INTO "Session" ("tokenHash", "userId", "expiresAt") VALUES ($1, $2, $3)`, [
        createHash("sha256").update(token).digest("hex"),
        userId,
        expires,
      ]);
      users.push({ userId, username, token });
    }
    await client.query("COMMIT");
    return users;
  } finally {
    await client.end();
  }
}
