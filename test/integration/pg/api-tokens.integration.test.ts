// pgApiTokenQueries against a real PostgreSQL: the same behaviour as the SQLite API token queries.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgApiTokenQueries } from "../../../lib/db/pg/api-tokens";
import type { Pool } from "../../../lib/db/pg/pool";
import { startPostgres, type TestPostgres } from "../../helpers/postgres";
import { insertUser, migratedPool } from "./pg-fixture";

let server: TestPostgres;
let pool: Pool;
let tokens: ReturnType<typeof pgApiTokenQueries>;
let ada: number;
let bob: number;

beforeAll(async () => {
  server = await startPostgres();
  pool = await migratedPool(server);
  tokens = pgApiTokenQueries(pool);
  ada = await insertUser(pool, "Ada", { admin: true });
  bob = await insertUser(pool, "bob");
});
afterAll(async () => {
  await pool?.end();
  await server?.stop();
});

describe("API tokens", () => {
  it("created, listed by id per user", async () => {
    const first = await tokens.createApiToken(ada, "deploy", "h1");
    expect(first).toEqual({
      id: expect.any(Number) as number,
      name: "deploy",
      createdAt: expect.any(Date) as Date,
      lastUsedAt: null,
    });
    expect(Math.abs(first.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    const second = await tokens.createApiToken(ada, "backup", "h2");
    await tokens.createApiToken(bob, "bot", "h3");
    expect((await tokens.listApiTokens(ada)).map((t) => t.name)).toEqual(["deploy", "backup"]);
    expect((await tokens.listApiTokens(ada))[1]).toEqual(second);
    expect(await tokens.listApiTokens(999_999)).toEqual([]);
  });

  it("a token hash is unique", async () => {
    await expect(tokens.createApiToken(bob, "again", "h1")).rejects.toThrow();
  });

  it("findApiToken: the token with its user's name and admin flag; null when unknown or deactivated", async () => {
    const found = await tokens.findApiToken("h1");
    expect(found).toEqual({
      id: expect.any(Number) as number,
      userId: ada,
      username: "Ada",
      admin: true,
      lastUsedAt: null,
    });
    expect(await tokens.findApiToken("h3")).toMatchObject({ userId: bob, username: "bob", admin: false });
    expect(await tokens.findApiToken("unknown")).toBeNull();
    await pool.query(`UPDATE "User" SET "deactivatedAt" = now() WHERE "id" = $1`, [bob]);
    expect(await tokens.findApiToken("h3")).toBeNull();
    await pool.query(`UPDATE "User" SET "deactivatedAt" = NULL WHERE "id" = $1`, [bob]);
    expect(await tokens.findApiToken("h3")).not.toBeNull();
  });

  it("touchApiToken sets lastUsedAt (a gone token is no error)", async () => {
    const { id } = (await tokens.findApiToken("h1"))!;
    const at = new Date("2026-12-06T10:11:12.345Z");
    await tokens.touchApiToken(id, at);
    expect((await tokens.findApiToken("h1"))!.lastUsedAt).toEqual(at);
    expect((await tokens.listApiTokens(ada))[0]!.lastUsedAt).toEqual(at);
    await tokens.touchApiToken(999_999, at);
  });

  it("deleteApiToken: only the owner's, once; liveApiTokenIds follows", async () => {
    const [deploy, backup] = await tokens.listApiTokens(ada);
    const [bot] = await tokens.listApiTokens(bob);
    expect(await tokens.liveApiTokenIds([deploy!.id, backup!.id, bot!.id, 999_999])).toEqual(
      new Set([deploy!.id, backup!.id, bot!.id]),
    );
    expect(await tokens.deleteApiToken(bob, deploy!.id)).toBe(false);
    expect(await tokens.deleteApiToken(ada, deploy!.id)).toBe(true);
    expect(await tokens.deleteApiToken(ada, deploy!.id)).toBe(false);
    expect(await tokens.liveApiTokenIds([deploy!.id, backup!.id, bot!.id])).toEqual(new Set([backup!.id, bot!.id]));
    expect(await tokens.liveApiTokenIds([])).toEqual(new Set());
    expect(await tokens.findApiToken("h1")).toBeNull();
  });

  it("a user's tokens go with the user", async () => {
    await pool.query(`DELETE FROM "User" WHERE "id" = $1`, [bob]);
    expect(await tokens.findApiToken("h3")).toBeNull();
    expect(await tokens.listApiTokens(bob)).toEqual([]);
  });
});
