// "An acknowledged message is on disk": SIGKILL keeps the page cache, so only the settings prove the power-cut
// half. Every connection that commits (Prisma's and the message writer's) must run WAL with synchronous=FULL
// (an fsync of the WAL at each commit); NORMAL would sync only at checkpoints and a power cut could lose acks.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { send } from "../helpers/socket-utils";
import { onPostgres } from "../helpers/test-database";
import { startTestServer, type TestServer } from "../helpers/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

// SQLite's pragmas; on PostgreSQL (TEST_DATABASE=postgres) the same claim is fsync and synchronous_commit, below
describe.skipIf(onPostgres)("write connections", () => {
  it("each runs WAL, synchronous=FULL and foreign keys, read back from SQLite", async () => {
    const expected = { journalMode: "wal", synchronous: "FULL", foreignKeys: true };
    expect(await server.db.pragmas()).toEqual({ prisma: expected, messageWriter: expected });
  });

  it("still do after both have written (a message through the writer, a session through Prisma)", async () => {
    const token = await server.token("alice");
    const socket = server.connect({ token });
    const ack = await send(socket, { content: "on disk", clientId: randomUUID() });
    expect(ack).toMatchObject({ ok: true, message: { content: "on disk" } });
    const expected = { journalMode: "wal", synchronous: "FULL", foreignKeys: true };
    expect(await server.db.pragmas()).toEqual({ prisma: expected, messageWriter: expected });
  });
});

describe.runIf(onPostgres)("PostgreSQL commits", () => {
  it("with fsync and synchronous_commit on, read back from the server, before and after writes", async () => {
    const expected = { pool: { fsync: "on", synchronousCommit: "on" } };
    expect(await server.db.pragmas()).toEqual(expected);
    const socket = server.connect({ token: await server.token("bob") });
    expect(await send(socket, { content: "on disk", clientId: randomUUID() })).toMatchObject({ ok: true });
    expect(await server.db.pragmas()).toEqual(expected);
  });
});
