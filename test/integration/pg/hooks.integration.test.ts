// pgHookQueries against a real PostgreSQL: the same behaviour as the SQLite webhook queries.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgHookQueries } from "../../../lib/db/pg/hooks";
import type { Pool } from "../../../lib/db/pg/pool";
import { startPostgres, type TestPostgres } from "../../helpers/postgres";
import { insertRoom, insertUser, migratedPool } from "./pg-fixture";

let server: TestPostgres;
let pool: Pool;
let hooks: ReturnType<typeof pgHookQueries>;
let ada: number;
let bob: number;
let dev: number;
let ops: number;

beforeAll(async () => {
  server = await startPostgres();
  pool = await migratedPool(server);
  hooks = pgHookQueries(pool);
  ada = await insertUser(pool, "Ada");
  bob = await insertUser(pool, "bob");
  dev = await insertRoom(pool, "Dev", [ada, bob]);
  ops = await insertRoom(pool, "ops", [ada]);
});
afterAll(async () => {
  await pool?.end();
  await server?.stop();
});

describe("webhooks", () => {
  it("createHook: the record with its room's and creator's names", async () => {
    const hook = await hooks.createHook({ roomId: dev, createdById: ada, name: "CI", secretHash: "s1" });
    expect(hook).toEqual({
      id: expect.any(Number) as number,
      name: "CI",
      roomId: dev,
      room: "Dev",
      createdById: ada,
      createdBy: "Ada",
      createdAt: expect.any(Date) as Date,
      lastUsedAt: null,
    });
    expect(Math.abs(hook.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    await expect(hooks.createHook({ roomId: ops, createdById: ada, name: "dup", secretHash: "s1" })).rejects.toThrow();
  });

  it("found by id and by secret; null when unknown", async () => {
    const [ci] = await hooks.hooksOfMember(ada);
    expect(await hooks.findHook(ci!.id)).toEqual(ci);
    expect(await hooks.findHookBySecret("s1")).toEqual(ci);
    expect(await hooks.findHook(999_999)).toBeNull();
    expect(await hooks.findHookBySecret("unknown")).toBeNull();
  });

  it("hooksOfMember: the hooks of every room the user is in, by id", async () => {
    const alerts = await hooks.createHook({ roomId: ops, createdById: ada, name: "alerts", secretHash: "s2" });
    const deploys = await hooks.createHook({ roomId: dev, createdById: bob, name: "deploys", secretHash: "s3" });
    expect((await hooks.hooksOfMember(ada)).map((h) => h.name)).toEqual(["CI", "alerts", "deploys"]);
    expect((await hooks.hooksOfMember(bob)).map((h) => h.name)).toEqual(["CI", "deploys"]);
    expect(deploys.createdBy).toBe("bob");
    expect(await hooks.hooksOfMember(999_999)).toEqual([]);
    await pool.query(`DELETE FROM "Membership" WHERE "roomId" = $1 AND "userId" = $2`, [ops, ada]);
    expect((await hooks.hooksOfMember(ada)).map((h) => h.id)).not.toContain(alerts.id);
  });

  it("touchHook sets lastUsedAt (a gone hook is no error)", async () => {
    const at = new Date("2026-12-06T09:08:07.654Z");
    const ci = (await hooks.findHookBySecret("s1"))!;
    await hooks.touchHook(ci.id, at);
    expect((await hooks.findHook(ci.id))!.lastUsedAt).toEqual(at);
    await hooks.touchHook(999_999, at);
  });

  it("deleteHook: true once, then false", async () => {
    const ci = (await hooks.findHookBySecret("s1"))!;
    expect(await hooks.deleteHook(ci.id)).toBe(true);
    expect(await hooks.deleteHook(ci.id)).toBe(false);
    expect(await hooks.findHook(ci.id)).toBeNull();
  });

  it("a room's hooks go with the room", async () => {
    await pool.query(`DELETE FROM "Room" WHERE "id" = $1`, [dev]);
    expect(await hooks.findHookBySecret("s3")).toBeNull();
  });
});
