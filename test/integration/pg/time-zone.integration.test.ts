// Every timestamp the PostgreSQL query groups write is UTC whatever the server's or the session's time zone:
// they pass the time themselves instead of leaving it to CURRENT_TIMESTAMP, which a `timestamp` column takes
// in the session's zone. Run on a session fourteen hours east of UTC.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgAdminQueries } from "../../../lib/db/pg/admin";
import { pgApiTokenQueries } from "../../../lib/db/pg/api-tokens";
import { pgHookQueries } from "../../../lib/db/pg/hooks";
import type { Pool } from "../../../lib/db/pg/pool";
import { pgProfileQueries } from "../../../lib/db/pg/profiles";
import { pgPushQueries } from "../../../lib/db/pg/push";
import { pgUploadQueries } from "../../../lib/db/pg/uploads";
import { startPostgres, type TestPostgres } from "../../helpers/postgres";
import { insertRoom, insertUser, migratedPool } from "./pg-fixture";

let server: TestPostgres;
let setup: Pool;
let pool: Pool;
let ada: number;

beforeAll(async () => {
  server = await startPostgres();
  setup = await migratedPool(server);
  ada = await insertUser(setup, "ada", { admin: true });
  pool = new pg.Pool({ connectionString: setup.options.connectionString, max: 2, options: "-c TimeZone=Etc/GMT-14" });
});
afterAll(async () => {
  await pool?.end();
  await setup?.end();
  await server?.stop();
});

/** within a minute of now: fourteen hours off would be far outside */
const isNow = (at: Date | null | undefined) => expect(Math.abs(at!.getTime() - Date.now())).toBeLessThan(60_000);

describe("timestamps in a session far from UTC", () => {
  it("the session really is at +14", async () => {
    const { rows } = await pool.query<{ tz: string }>(`SELECT current_setting('TimeZone') AS "tz"`);
    expect(rows[0]!.tz).toBe("Etc/GMT-14");
    // what the queries avoid: a column's CURRENT_TIMESTAMP default is the session's wall clock, 14 hours ahead
    const { rows: defaulted } = await pool.query<{ at: Date }>(
      `INSERT INTO "ServerSecret" ("name", "value") VALUES ('tz', CURRENT_TIMESTAMP::timestamp(3)::text)
        RETURNING "value"::timestamp(3) AS "at"`,
    );
    expect(defaulted[0]!.at.getTime() - Date.now()).toBeGreaterThan(13 * 3600_000);
  });

  it("createdAt of tokens, hooks, uploads, invites, audit entries, resets and avatars is now in UTC", async () => {
    isNow((await pgApiTokenQueries(pool).createApiToken(ada, "t", "h")).createdAt);
    const room = await insertRoom(setup, "dev", [ada]);
    isNow(
      (await pgHookQueries(pool).createHook({ roomId: room, createdById: ada, name: "n", secretHash: "s" })).createdAt,
    );
    const upload = { id: "u", userId: ada, name: "f", size: 1, type: "text/plain", hash: "x" };
    isNow(
      (await pgUploadQueries(pool).createUpload({ ...upload, width: null, height: null, thumbnail: false })).createdAt,
    );
    const admin = pgAdminQueries(pool);
    await admin.createInvite({ codeHash: "c", createdById: ada, expiresAt: new Date(), maxUses: 1 });
    isNow((await admin.findInvite("c"))?.createdAt);
    await admin.audit({ actorId: ada, actor: "ada", action: "x", target: null });
    isNow((await admin.auditLog(1))[0]?.createdAt);
    await admin.createPasswordReset(ada, "r", new Date(Date.now() + 60_000));
    await pgProfileQueries(pool).setAvatar(ada, {
      id: "a".repeat(32),
      large: new Uint8Array([1]),
      small: new Uint8Array([2]),
    });
    await pgPushQueries(pool).saveSubscription({ userId: ada, endpoint: "e", p256dh: "p", auth: "a" });
    const { rows } = await setup.query<{ at: Date }>(
      `SELECT "createdAt" AS "at" FROM "PasswordReset" UNION ALL SELECT "createdAt" FROM "Avatar"
        UNION ALL SELECT "createdAt" FROM "PushSubscription"`,
    );
    expect(rows).toHaveLength(3);
    for (const { at } of rows) isNow(at);
  });

  it("an expiry compares in UTC: a reset valid for a minute more is live, one a minute past is not", async () => {
    const admin = pgAdminQueries(pool);
    await admin.createPasswordReset(ada, "soon", new Date(Date.now() + 60_000));
    expect(await admin.passwordResetUser("soon", new Date())).toEqual({ userId: ada, username: "ada" });
    expect(await admin.passwordResetUser("soon", new Date(Date.now() + 120_000))).toBeNull();
  });
});
