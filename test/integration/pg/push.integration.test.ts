// pgPushQueries against a real PostgreSQL: the same behaviour as the SQLite push queries, and the server
// secret's "first writer wins" when many processes start at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgPushQueries } from "../../../lib/db/pg/push";
import { createPool, type Pool } from "../../../lib/db/pg/pool";
import { startPostgres, type TestPostgres } from "../../helpers/postgres";
import { insertUser, migratedPool } from "./pg-fixture";

let server: TestPostgres;
let pool: Pool;
let push: ReturnType<typeof pgPushQueries>;
let ada: number;
let bob: number;

beforeAll(async () => {
  server = await startPostgres();
  pool = await migratedPool(server);
  push = pgPushQueries(pool);
  ada = await insertUser(pool, "ada");
  bob = await insertUser(pool, "bob");
});
afterAll(async () => {
  await pool?.end();
  await server?.stop();
});

const sub = (userId: number, endpoint: string, keys = "k") => ({
  userId,
  endpoint,
  p256dh: `p-${keys}`,
  auth: `a-${keys}`,
});

describe("the server secret", () => {
  it("made and stored on first use, then read back (make is not called again)", async () => {
    expect(await push.serverSecret("vapid", () => "first")).toBe("first");
    expect(
      await push.serverSecret("vapid", () => {
        throw new Error("made twice");
      }),
    ).toBe("first");
    expect(await push.serverSecret("other", () => "second")).toBe("second");
  });

  it("many first uses at once (separate pools, like processes): all get the same, stored value", async () => {
    const pools = [1, 2, 3, 4].map(() => createPool(pool.options.connectionString!, 2));
    try {
      for (let round = 0; round < 10; round++) {
        const name = `race-${round}`;
        const values = await Promise.all(pools.map((p, i) => pgPushQueries(p).serverSecret(name, () => `v${i}`)));
        expect(new Set(values).size).toBe(1);
        const { rows } = await pool.query<{ value: string }>(`SELECT "value" FROM "ServerSecret" WHERE "name" = $1`, [
          name,
        ]);
        expect(rows).toEqual([{ value: values[0] }]);
      }
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });
});

describe("subscriptions", () => {
  it("saved, listed per user; a save at a known endpoint moves it to the user with new keys", async () => {
    await push.saveSubscription(sub(ada, "https://push.example/1"));
    await push.saveSubscription(sub(ada, "https://push.example/2"));
    await push.saveSubscription(sub(bob, "https://push.example/3"));
    expect(await push.subscriptionsOf([ada])).toEqual([
      sub(ada, "https://push.example/1"),
      sub(ada, "https://push.example/2"),
    ]);
    expect(await push.subscriberIds()).toEqual([ada, bob]);
    await push.saveSubscription(sub(bob, "https://push.example/2", "new"));
    expect(await push.subscriptionsOf([ada])).toEqual([sub(ada, "https://push.example/1")]);
    expect(await push.subscriptionsOf([bob])).toEqual([
      sub(bob, "https://push.example/2", "new"),
      sub(bob, "https://push.example/3"),
    ]);
    expect(await push.subscriptionsOf([ada, bob])).toHaveLength(3);
    expect(await push.subscriptionsOf([])).toEqual([]);
    expect((await pool.query(`SELECT 1 FROM "PushSubscription"`)).rowCount).toBe(3);
  });

  it("removeSubscription: only the user's own, once", async () => {
    expect(await push.removeSubscription(ada, "https://push.example/3")).toBe(false);
    expect(await push.removeSubscription(bob, "https://push.example/3")).toBe(true);
    expect(await push.removeSubscription(bob, "https://push.example/3")).toBe(false);
    expect(await push.subscriptionsOf([bob])).toEqual([sub(bob, "https://push.example/2", "new")]);
  });

  it("dropEndpoint removes it whoever holds it; subscriberIds follows", async () => {
    await push.dropEndpoint("https://push.example/2");
    await push.dropEndpoint("https://push.example/unknown");
    expect(await push.subscriptionsOf([bob])).toEqual([]);
    expect(await push.subscriberIds()).toEqual([ada]);
  });

  it("two saves at the same new endpoint at once keep one row", async () => {
    await Promise.all([
      push.saveSubscription(sub(ada, "https://push.example/same", "x")),
      push.saveSubscription(sub(bob, "https://push.example/same", "y")),
    ]);
    const { rows } = await pool.query(
      `SELECT 1 FROM "PushSubscription" WHERE "endpoint" = 'https://push.example/same'`,
    );
    expect(rows).toHaveLength(1);
  });
});
