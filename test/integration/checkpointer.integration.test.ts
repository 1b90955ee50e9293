// WAL checkpoints run on the checkpoint worker (lib/db/checkpointer.ts), not inside commits on the event loop:
// once the WAL has grown past a threshold, its pages reach the database file while every connection is
// still open and none of them checkpoints by itself.
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCheckpointer } from "@/lib/db/checkpointer";
import { quietPeriod, waitUntil } from "../helpers/socket-utils";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "chatterbox-checkpoint-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const mainFileContains = (databasePath: string, needle: string) =>
  readFileSync(databasePath).includes(Buffer.from(needle, "utf8"));

/** A WAL database whose writing connection never checkpoints by itself, as createServices sets it up. */
function walDatabase(name: string) {
  const databasePath = path.join(dir, name);
  const db = new Database(databasePath);
  db.pragma("journal_mode = WAL");
  db.pragma("wal_autocheckpoint = 0");
  db.exec("CREATE TABLE note (body TEXT)");
  const insert = db.prepare("INSERT INTO note (body) VALUES (?)");
  return { databasePath, db, write: (body: string) => insert.run(body) };
}

describe("the checkpoint worker", () => {
  it("checkpoints once the WAL has passed its threshold, and not before", async () => {
    const { databasePath, db, write } = walDatabase("threshold.db");
    const failures: Error[] = [];
    const checkpointer = startCheckpointer(databasePath, {
      intervalMs: 50,
      minWalBytes: 256 * 1024,
      onFailure: (err) => failures.push(err),
    });
    try {
      const early = `early-${randomUUID()}`;
      write(early);
      await quietPeriod(400); // eight looks at a WAL far below the threshold
      expect(mainFileContains(databasePath, early)).toBe(false);

      for (let i = 0; i < 400; i++) write(`filler ${i} ${"x".repeat(1000)}`); // ≈ 400 KB of WAL
      await waitUntil(() => mainFileContains(databasePath, early), 5000, "the early row in the database file");
      expect(failures).toEqual([]);
    } finally {
      await checkpointer.close();
      db.close();
    }
  });

  it("reports a failure (so automatic checkpoints come back) when it cannot run", async () => {
    const failures: Error[] = [];
    const checkpointer = startCheckpointer(path.join(dir, "no-such-dir", "x.db"), {
      onFailure: (err) => failures.push(err),
    });
    await waitUntil(() => failures.length > 0, 5000);
    expect(failures).toHaveLength(1);
    await checkpointer.close(); // after a failure too
  });
});
