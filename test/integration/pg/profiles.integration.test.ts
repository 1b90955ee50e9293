// pgProfileQueries against a real PostgreSQL: the same behaviour as the SQLite profile queries.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgProfileQueries } from "../../../lib/db/pg/profiles";
import type { Pool } from "../../../lib/db/pg/pool";
import { startPostgres, type TestPostgres } from "../../helpers/postgres";
import { insertSession, insertUser, migratedPool, sessionIdsOf } from "./pg-fixture";

let server: TestPostgres;
let pool: Pool;
let profiles: ReturnType<typeof pgProfileQueries>;
let ada: number;

beforeAll(async () => {
  server = await startPostgres();
  pool = await migratedPool(server);
  profiles = pgProfileQueries(pool);
  ada = await insertUser(pool, "Ada", { createdAt: new Date("2026-11-30T08:00:00.250Z") });
});
afterAll(async () => {
  await pool?.end();
  await server?.stop();
});

const bytes = (...values: number[]) => new Uint8Array(values);

describe("profiles", () => {
  it("a profile as stored, with nothing set; null for nobody", async () => {
    expect(await profiles.profile(ada)).toEqual({
      username: "Ada",
      displayName: null,
      statusText: null,
      avatarId: null,
      createdAt: new Date("2026-11-30T08:00:00.250Z"),
    });
    expect(await profiles.profile(999_999)).toBeNull();
  });

  it("updateProfile changes the fields given, null clears one, undefined leaves it", async () => {
    expect(await profiles.updateProfile(ada, { displayName: "Ada L.", statusText: "computing" })).toEqual({
      username: "Ada",
      displayName: "Ada L.",
      statusText: "computing",
      avatarId: null,
    });
    expect(await profiles.updateProfile(ada, { statusText: null })).toMatchObject({
      displayName: "Ada L.",
      statusText: null,
    });
    expect(await profiles.updateProfile(ada, { displayName: undefined, statusText: "back" })).toMatchObject({
      displayName: "Ada L.",
      statusText: "back",
    });
    expect(await profiles.updateProfile(ada, {})).toMatchObject({ displayName: "Ada L.", statusText: "back" });
    expect(await profiles.updateProfile(ada, { displayName: null })).toMatchObject({ displayName: null });
    await expect(profiles.updateProfile(999_999, { displayName: "x" })).rejects.toThrow();
  });

  it("setAvatar stores both sizes under the id; a new one replaces the old (whose id stops answering)", async () => {
    await profiles.setAvatar(ada, { id: "a".repeat(32), large: bytes(1, 2, 3), small: bytes(4) });
    expect((await profiles.profile(ada))!.avatarId).toBe("a".repeat(32));
    expect(await profiles.avatarImage("a".repeat(32), "large")).toEqual(bytes(1, 2, 3));
    expect(await profiles.avatarImage("a".repeat(32), "small")).toEqual(bytes(4));
    await profiles.setAvatar(ada, { id: "b".repeat(32), large: bytes(0, 255), small: bytes(7, 8) });
    expect(await profiles.avatarImage("a".repeat(32), "large")).toBeNull();
    expect(await profiles.avatarImage("b".repeat(32), "large")).toEqual(bytes(0, 255));
    expect(await profiles.avatarImage("b".repeat(32), "small")).toEqual(bytes(7, 8));
    expect(await profiles.updateProfile(ada, {})).toMatchObject({ avatarId: "b".repeat(32) });
    expect(await profiles.avatarImage("nope", "small")).toBeNull();
  });

  it("two avatar uploads at once leave one avatar", async () => {
    await Promise.all([
      profiles.setAvatar(ada, { id: "c".repeat(32), large: bytes(1), small: bytes(1) }),
      profiles.setAvatar(ada, { id: "d".repeat(32), large: bytes(2), small: bytes(2) }),
    ]);
    const { rows } = await pool.query<{ id: string }>(`SELECT "id" FROM "Avatar" WHERE "userId" = $1`, [ada]);
    expect(rows).toHaveLength(1);
    expect((await profiles.profile(ada))!.avatarId).toBe(rows[0]!.id);
  });

  it("removeAvatar: true once, then false", async () => {
    expect(await profiles.removeAvatar(ada)).toBe(true);
    expect((await profiles.profile(ada))!.avatarId).toBeNull();
    expect(await profiles.removeAvatar(ada)).toBe(false);
  });
});

describe("the password", () => {
  it("passwordHash: the stored hash; null for nobody", async () => {
    expect(await profiles.passwordHash(ada)).toBe("hash");
    expect(await profiles.passwordHash(999_999)).toBeNull();
  });

  it("setPassword stores the hash and deletes every other session of the user: their ids", async () => {
    const bob = await insertUser(pool, "bob");
    const s1 = await insertSession(pool, ada, "1");
    const keep = await insertSession(pool, ada, "2");
    const s3 = await insertSession(pool, ada, "3");
    const bobs = await insertSession(pool, bob, "4");
    expect(await profiles.setPassword(ada, "new-hash", keep)).toEqual([s1, s3]);
    expect(await profiles.passwordHash(ada)).toBe("new-hash");
    expect(await sessionIdsOf(pool, ada)).toEqual([keep]);
    expect(await sessionIdsOf(pool, bob)).toEqual([bobs]);
    expect(await profiles.setPassword(ada, "newer", keep)).toEqual([]);
    await expect(profiles.setPassword(999_999, "x", keep)).rejects.toThrow();
  });
});
