// pgUploadQueries against a real PostgreSQL: the same behaviour as the SQLite upload queries.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UploadRecord } from "../../../lib/db/data-layer";
import { pgUploadQueries } from "../../../lib/db/pg/uploads";
import type { Pool } from "../../../lib/db/pg/pool";
import { startPostgres, type TestPostgres } from "../../helpers/postgres";
import { insertMessage, insertUser, migratedPool, untilSomeoneWaitsForALock } from "./pg-fixture";

let server: TestPostgres;
let pool: Pool;
let uploads: ReturnType<typeof pgUploadQueries>;
let ada: number;
let bob: number;

beforeAll(async () => {
  server = await startPostgres();
  pool = await migratedPool(server);
  uploads = pgUploadQueries(pool);
  ada = await insertUser(pool, "ada");
  bob = await insertUser(pool, "bob");
});
afterAll(async () => {
  await pool?.end();
  await server?.stop();
});

const file = (id: string, userId: number, size: number, hash: string, image = false) => ({
  id,
  userId,
  name: `${id}.bin`,
  size,
  type: image ? "image/png" : "application/octet-stream",
  hash,
  width: image ? 640 : null,
  height: image ? 480 : null,
  thumbnail: image,
});

const backdate = (id: string, at: Date) => pool.query(`UPDATE "Upload" SET "createdAt" = $2 WHERE "id" = $1`, [id, at]);

describe("uploads", () => {
  it("createUpload: the stored record, unsent", async () => {
    const made = await uploads.createUpload(file("u1", ada, 1000, "h1", true));
    expect(made).toEqual({
      ...file("u1", ada, 1000, "h1", true),
      messageId: null,
      createdAt: expect.any(Date) as Date,
    });
    expect(Math.abs(made.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(await uploads.createUpload(file("u2", ada, 250, "h1"))).toMatchObject({ width: null, thumbnail: false });
    await uploads.createUpload(file("u3", bob, 7, "h2"));
    await expect(uploads.createUpload(file("u3", bob, 7, "h2"))).rejects.toThrow();
  });

  it("findUpload and findUploads: those that exist; null or left out otherwise", async () => {
    expect(await uploads.findUpload("u1")).toMatchObject({ id: "u1", userId: ada, hash: "h1", thumbnail: true });
    expect(await uploads.findUpload("nope")).toBeNull();
    const found = await uploads.findUploads(["u3", "nope", "u1"]);
    expect(found.map((u: UploadRecord) => u.id).sort()).toEqual(["u1", "u3"]);
    expect(await uploads.findUploads([])).toEqual([]);
  });

  it("bytesOf: the sum of a user's uploads, duplicates too; 0 for none", async () => {
    expect(await uploads.bytesOf(ada)).toBe(1250);
    expect(await uploads.bytesOf(bob)).toBe(7);
    expect(await uploads.bytesOf(999_999)).toBe(0);
  });

  it("deleteUnsentBefore removes old unsent uploads only; referencedHashes follows", async () => {
    const message = await insertMessage(pool, "general", ada, "with a file");
    await pool.query(`UPDATE "Upload" SET "messageId" = $1 WHERE "id" = 'u1'`, [message]);
    const old = new Date("2026-01-01T00:00:00.000Z");
    await backdate("u1", old);
    await backdate("u2", old);
    expect(await uploads.referencedHashes()).toEqual(new Set(["h1", "h2"]));
    expect(await uploads.deleteUnsentBefore(new Date("2026-06-01T00:00:00.000Z"))).toBe(1);
    expect(await uploads.findUpload("u2")).toBeNull();
    expect(await uploads.findUpload("u1")).toMatchObject({ messageId: message });
    expect(await uploads.findUpload("u3")).not.toBeNull();
    expect(await uploads.deleteUnsentBefore(new Date("2026-06-01T00:00:00.000Z"))).toBe(0);
    await pool.query(`DELETE FROM "Upload" WHERE "id" = 'u1'`);
    expect(await uploads.referencedHashes()).toEqual(new Set(["h2"]));
    expect(await uploads.bytesOf(ada)).toBe(0);
  });

  it("a sweep waiting on an attach that commits leaves the file, now sent", async () => {
    await uploads.createUpload(file("u4", ada, 5, "h4"));
    await backdate("u4", new Date("2026-01-01T00:00:00.000Z"));
    const message = await insertMessage(pool, "general", ada, "sending u4");
    const writer = await pool.connect();
    try {
      await writer.query("BEGIN");
      await writer.query(`UPDATE "Upload" SET "messageId" = $1 WHERE "id" = 'u4' AND "messageId" IS NULL`, [message]);
      const sweep = uploads.deleteUnsentBefore(new Date("2026-06-01T00:00:00.000Z"));
      await untilSomeoneWaitsForALock(pool);
      await writer.query("COMMIT");
      expect(await sweep).toBe(0);
    } finally {
      writer.release();
    }
    expect(await uploads.findUpload("u4")).toMatchObject({ messageId: message });
  });
});
