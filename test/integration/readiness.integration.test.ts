// GET /api/health stays liveness; GET /api/health/ready is readiness: 503 with a reason while a migration is
// pending (another process migrating, or code newer than the database) and while the database cannot take a
// write (here: the file made immutable with chattr, which even root cannot open for writing),
// 200 again once that is over.
import { execFileSync } from "node:child_process";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbAll, dbRun } from "../helpers/db";
import { body } from "../helpers/http";
import { onPostgres } from "../helpers/test-database";
import { startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const ready = () => fetch(`${server.url}/api/health/ready`);

describe("readiness", () => {
  it("is 200 on a migrated, writable database", async () => {
    const res = await ready();
    expect(res.status).toBe(200);
    expect(await body(res)).toEqual({ status: "ready" });
  });

  it("is 503 naming the migration while one is not finished; liveness stays 200", async () => {
    const [last] = await dbAll<{ name: string; f: unknown }>(
      server,
      "SELECT migration_name AS name, finished_at AS f FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1",
    );
    const finish = (at: unknown) =>
      dbRun(server, "UPDATE _prisma_migrations SET finished_at = ? WHERE migration_name = ?", at, last!.name);
    await finish(null);
    try {
      const res = await ready();
      expect(res.status).toBe(503);
      const answer = await body<{ status: string; reason: string }>(res);
      expect(answer.status).toBe("not ready");
      expect(answer.reason).toMatch(new RegExp(`^migrating: .*${last!.name}`));
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    } finally {
      await finish(last!.f);
    }
    expect((await ready()).status).toBe(200);
  });

  // SQLite only: a file made immutable (PostgreSQL's files are the server's, not ours to chattr)
  it.skipIf(onPostgres)("is 503 while the database file cannot be written, and 200 once it can", async () => {
    execFileSync("chattr", ["+i", server.databasePath]);
    try {
      const res = await ready();
      expect(res.status).toBe(503);
      expect((await body<{ reason: string }>(res)).reason).toMatch(/^database is not writable: EPERM/);
    } finally {
      execFileSync("chattr", ["-i", server.databasePath]);
    }
    expect((await ready()).status).toBe(200);
  });

  // SQLite only: its single write lock (PostgreSQL has row locks; readiness does not take any)
  it.skipIf(onPostgres)("a write lock held by another connection is not a failure (busy means writable)", async () => {
    const other = new Database(server.databasePath);
    other.exec("BEGIN IMMEDIATE");
    try {
      expect((await ready()).status).toBe(200);
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
  });
});
