// pgNotificationQueries against a real PostgreSQL: the same behaviour as the SQLite notification queries.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgNotificationQueries } from "../../../lib/db/pg/notifications";
import type { Pool } from "../../../lib/db/pg/pool";
import { startPostgres, type TestPostgres } from "../../helpers/postgres";
import { insertRoom, insertUser, migratedPool } from "./pg-fixture";

let server: TestPostgres;
let pool: Pool;
let notifications: ReturnType<typeof pgNotificationQueries>;
let ada: number;
let bob: number;
let dev: number;
let ops: number;

beforeAll(async () => {
  server = await startPostgres();
  pool = await migratedPool(server);
  notifications = pgNotificationQueries(pool);
  ada = await insertUser(pool, "ada");
  bob = await insertUser(pool, "bob");
  ops = await insertRoom(pool, "Ops", [ada]);
  dev = await insertRoom(pool, "dev", [ada, bob]);
});
afterAll(async () => {
  await pool?.end();
  await server?.stop();
});

describe("notification settings", () => {
  it("the default level and no overrides, for a new user and for nobody", async () => {
    expect(await notifications.notificationSettings(ada)).toEqual({ level: "mentions", rooms: [] });
    expect(await notifications.notificationSettings(999_999)).toEqual({ level: "mentions", rooms: [] });
  });

  it("set replaces the level and every override; rooms by id, with their names as stored", async () => {
    await notifications.setNotificationSettings(ada, "all", [
      { roomId: dev, level: "none" },
      { roomId: ops, level: "mentions" },
    ]);
    expect(await notifications.notificationSettings(ada)).toEqual({
      level: "all",
      rooms: [
        { roomId: ops, name: "Ops", level: "mentions" },
        { roomId: dev, name: "dev", level: "none" },
      ],
    });
    await notifications.setNotificationSettings(ada, "none", [{ roomId: dev, level: "all" }]);
    expect(await notifications.notificationSettings(ada)).toEqual({
      level: "none",
      rooms: [{ roomId: dev, name: "dev", level: "all" }],
    });
    await notifications.setNotificationSettings(ada, "mentions", []);
    expect(await notifications.notificationSettings(ada)).toEqual({ level: "mentions", rooms: [] });
  });

  it("one user's settings leave another's alone", async () => {
    await notifications.setNotificationSettings(bob, "all", [{ roomId: dev, level: "none" }]);
    await notifications.setNotificationSettings(ada, "none", []);
    expect(await notifications.notificationSettings(bob)).toEqual({
      level: "all",
      rooms: [{ roomId: dev, name: "dev", level: "none" }],
    });
  });

  it("an unknown stored level reads as the default", async () => {
    await pool.query(`UPDATE "User" SET "notifyLevel" = 'loud' WHERE "id" = $1`, [bob]);
    await pool.query(`UPDATE "RoomNotification" SET "level" = 'odd' WHERE "userId" = $1`, [bob]);
    expect(await notifications.notificationSettings(bob)).toEqual({
      level: "mentions",
      rooms: [{ roomId: dev, name: "dev", level: "mentions" }],
    });
  });

  it("a failing save changes nothing (one transaction)", async () => {
    await notifications.setNotificationSettings(ada, "all", [{ roomId: ops, level: "none" }]);
    await expect(
      notifications.setNotificationSettings(ada, "none", [{ roomId: 999_999, level: "all" }]),
    ).rejects.toThrow();
    expect(await notifications.notificationSettings(ada)).toEqual({
      level: "all",
      rooms: [{ roomId: ops, name: "Ops", level: "none" }],
    });
    await expect(notifications.setNotificationSettings(999_999, "all", [])).rejects.toThrow();
  });

  it("two saves at once: one of them, whole", async () => {
    for (let round = 0; round < 10; round++) {
      await Promise.all([
        notifications.setNotificationSettings(ada, "all", [{ roomId: ops, level: "none" }]),
        notifications.setNotificationSettings(ada, "none", [{ roomId: dev, level: "all" }]),
      ]);
      const after = await notifications.notificationSettings(ada);
      expect([
        { level: "all", rooms: [{ roomId: ops, name: "Ops", level: "none" }] },
        { level: "none", rooms: [{ roomId: dev, name: "dev", level: "all" }] },
      ]).toContainEqual(after);
    }
  });
});
