// WAL checkpoints run on the checkpoint worker (lib/db/checkpointer.ts), not inside commits on the event loop:
// committed pages reach the database file while every connection is still open and none checkpoints itself.
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCheckpointer } from "@/lib/db/checkpointer";
import { waitUntil } from "../helpers/socket-utils";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "chatterbox-checkpoint-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const mainFileContains = (databasePath: string, needle: string) =>
  readFileSync(databasePath).includes(Buffer.from(needle, "utf8"));

/** A WAL database whose writing connection never checkpoints by itself, as openDatabase sets it up. */
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
  it("moves committed rows from the WAL into the database file while no connection checkpoints by itself", async () => {
    const { databasePath, db, write } = walDatabase("periodic.db");
    const failures: Error[] = [];
    const checkpointer = startCheckpointer(databasePath, { intervalMs: 50, onFailure: (err) => failures.push(err) });
    try {
      const marker = `checkpointed-${randomUUID()}`;
      write(marker); // far below the 1000 WAL pages at which a commit would checkpoint, were it allowed to
      await waitUntil(() => mainFileContains(databasePath, marker), 5000, "the row in the database file");
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
