// On an empty database the first account may always register and is the admin, also when REGISTRATION is
// closed, and also when several registrations race for it: exactly one wins the empty database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/test-server";
import { dbAll } from "../helpers/db";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: { REGISTRATION: "closed" } });
});
afterAll(async () => {
  await server.close();
});

describe("the first account", () => {
  it("of several racing on an empty, closed server: exactly one registers, and it is the admin", async () => {
    const names = Array.from({ length: 8 }, (_, i) => `racer_${i}`);
    const results = await Promise.all(
      names.map((username) => server.post("/register", { username, password: "correct horse battery" })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 403)).toHaveLength(7);
    const users = await dbAll<{ username: string; admin: number | boolean }>(
      server,
      `SELECT "username", "admin" FROM "User"`,
    );
    // SQLite's boolean is 1, PostgreSQL's true
    expect(users.map((u) => ({ ...u, admin: Boolean(u.admin) }))).toEqual([
      { username: names[statuses.indexOf(200)], admin: true },
    ]);
    const refusal = (await results[statuses.indexOf(403)]!.json()) as { detail: string };
    expect(refusal.detail).toBe("Registration is closed on this server.");
  });
});
