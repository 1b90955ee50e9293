// Web Push storage on PostgreSQL (the SQLite twin is ../push.ts): browsers' subscriptions and the server's
// VAPID key pair (kept as a ServerSecret).
import type { PushQueries, PushSubscriptionRecord } from "../data-layer";
import type { Pool } from "./pool";

const FIELDS = `"userId", "endpoint", "p256dh", "auth"`;

export function pgPushQueries(pool: Pool): PushQueries {
  async function storedSecret(name: string): Promise<string | null> {
    const { rows } = await pool.query<{ value: string }>({
      name: "push.serverSecret",
      text: `SELECT "value" FROM "ServerSecret" WHERE "name" = $1`,
      values: [name],
    });
    return rows[0]?.value ?? null;
  }

  return {
    async serverSecret(name, make) {
      const found = await storedSecret(name);
      if (found !== null) return found;
      // a concurrent first use waits on the key, then inserts nothing: it reads the winner's value in a new
      // statement (one statement's snapshot would not see the row committed while it waited)
      const inserted = await pool.query<{ value: string }>(
        `INSERT INTO "ServerSecret" ("name", "value") VALUES ($1, $2) ON CONFLICT ("name") DO NOTHING RETURNING "value"`,
        [name, make()],
      );
      const value = inserted.rows[0]?.value ?? (await storedSecret(name));
      if (value === null) throw new Error(`The server secret ${name} vanished while it was created`);
      return value;
    },
    async saveSubscription({ userId, endpoint, p256dh, auth }) {
      await pool.query(
        `INSERT INTO "PushSubscription" ("userId", "endpoint", "p256dh", "auth", "createdAt") VALUES ($1, $2, $3, $4, $5)
          ON CONFLICT ("endpoint") DO UPDATE
            SET "userId" = EXCLUDED."userId", "p256dh" = EXCLUDED."p256dh", "auth" = EXCLUDED."auth"`,
        [userId, endpoint, p256dh, auth, new Date()],
      );
    },
    async removeSubscription(userId, endpoint) {
      const { rowCount } = await pool.query(`DELETE FROM "PushSubscription" WHERE "userId" = $1 AND "endpoint" = $2`, [
        userId,
        endpoint,
      ]);
      return (rowCount ?? 0) > 0;
    },
    async dropEndpoint(endpoint) {
      await pool.query(`DELETE FROM "PushSubscription" WHERE "endpoint" = $1`, [endpoint]);
    },
    async subscriptionsOf(userIds) {
      const { rows } = await pool.query<PushSubscriptionRecord>({
        name: "push.subscriptionsOf",
        text: `SELECT ${FIELDS} FROM "PushSubscription" WHERE "userId" = ANY($1::int[]) ORDER BY "id"`,
        values: [userIds],
      });
      return rows;
    },
    async subscriberIds() {
      const { rows } = await pool.query<{ userId: number }>(
        `SELECT DISTINCT "userId" FROM "PushSubscription" ORDER BY "userId"`,
      );
      return rows.map((r) => r.userId);
    },
  };
}
