// User queries on PostgreSQL, as users.ts on SQLite: createUser decides admission in the transaction that
// creates the account. SQLite's write lock makes "am I the first?" safe there; here a transaction-scoped
// advisory lock serialises account creation, so of two registrations racing on an empty database exactly
// one sees itself alone (READ COMMITTED would let both count zero others). Times are passed, never left to
// CURRENT_TIMESTAMP (a `timestamp` column would take it in the session's time zone).
import type { UserQueries, UserRecord } from "../data-layer";
import { unstorable } from "./errors";
import { inTransaction, type Pool, type PoolClient } from "./pool";

/** the advisory lock held by every transaction that creates an account */
const ADMISSION_LOCK = 72707371;

const USER_COLUMNS = `"id", "username", "passwordHash", "admin", "deactivatedAt" IS NOT NULL AS "deactivated"`;

class Refused extends Error {}

async function admitted(client: PoolClient, admission: Parameters<UserQueries["createUser"]>[2]): Promise<boolean> {
  if (!admission || admission.kind === "open") return true;
  if (admission.kind === "first-only") return false;
  // one use of a live invite, taken in this transaction (the row lock orders concurrent uses)
  const { rowCount } = await client.query({
    name: "users-use-invite",
    text: `UPDATE "Invite" SET "used" = "used" + 1
            WHERE "codeHash" = $1 AND "revokedAt" IS NULL AND "expiresAt" > $2 AND "used" < "maxUses"`,
    values: [admission.codeHash, admission.now],
  });
  return rowCount === 1;
}

export function pgUserQueries(pool: Pool): UserQueries {
  return {
    async createUser(username, passwordHash, admission = { kind: "open" }) {
      try {
        return await inTransaction(pool, async (client): Promise<UserRecord | null> => {
          await client.query({
            name: "users-lock",
            text: "SELECT pg_advisory_xact_lock($1)",
            values: [ADMISSION_LOCK],
          });
          const inserted = await client.query<UserRecord>({
            name: "users-insert",
            text: `INSERT INTO "User" ("username", "usernameKey", "passwordHash", "createdAt") VALUES ($1, $2, $3, $4)
                   ON CONFLICT ("usernameKey") DO NOTHING RETURNING ${USER_COLUMNS}`,
            values: [username, username.toLowerCase(), passwordHash, new Date()],
          });
          const user = inserted.rows[0];
          if (!user) return null;
          // every user is in general
          await client.query({
            name: "users-join-general",
            text: `INSERT INTO "Membership" ("roomId", "userId", "joinedAt") SELECT "id", $1, $2 FROM "Room" WHERE "nameKey" = 'general'`,
            values: [user.id, new Date()],
          });
          const others = await client.query<{ n: number }>({
            name: "users-others",
            text: `SELECT count(*) AS "n" FROM "User" WHERE "id" <> $1`,
            values: [user.id],
          });
          if (others.rows[0]!.n === 0) {
            await client.query({
              name: "users-first-admin",
              text: `UPDATE "User" SET "admin" = true WHERE "id" = $1`,
              values: [user.id],
            });
            return { ...user, admin: true };
          }
          if (!(await admitted(client, admission))) throw new Refused();
          return user;
        });
      } catch (err) {
        if (err instanceof Refused) return "refused";
        throw err;
      }
    },
    async listUsers() {
      const { rows } = await pool.query<{
        id: number;
        username: string;
        lastSeenAt: Date | null;
        deactivatedAt: Date | null;
        displayName: string | null;
        statusText: string | null;
        avatarId: string | null;
      }>({
        name: "users-list",
        text: `SELECT u."id", u."username", u."lastSeenAt", u."deactivatedAt", u."displayName", u."statusText", a."id" AS "avatarId"
                 FROM "User" u LEFT JOIN "Avatar" a ON a."userId" = u."id" ORDER BY u."usernameKey"`,
      });
      return rows;
    },
    async setLastSeen(userId, at) {
      await pool.query({
        name: "users-seen",
        text: `UPDATE "User" SET "lastSeenAt" = $1 WHERE "id" = $2`,
        values: [at, userId],
      });
    },
    async findUserByName(username) {
      if (unstorable(username)) return null;
      const { rows } = await pool.query<UserRecord>({
        name: "users-by-name",
        text: `SELECT ${USER_COLUMNS} FROM "User" WHERE "usernameKey" = $1`,
        values: [username.toLowerCase()],
      });
      return rows[0] ?? null;
    },
  };
}
