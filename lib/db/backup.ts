// An online backup: SQLite's backup API (better-sqlite3's db.backup) copies the database page by page while
// the server keeps writing; the copy is one consistent state (SQLite restarts the copy when another
// connection writes mid-way). The copy is written beside the target and renamed over it only once complete
// and checked, so a failed backup never leaves a half file under the target's name.
import { existsSync, renameSync, rmSync, statSync } from "node:fs";
import Database from "better-sqlite3";

export interface BackupResult {
  bytes: number;
  messages: number;
  /** PRAGMA integrity_check's answer: "ok" */
  integrity: string;
}

export async function backupDatabase(databasePath: string, target: string): Promise<BackupResult> {
  if (!existsSync(databasePath)) throw new Error(`no database at ${databasePath}`);
  const temp = `${target}.partial-${process.pid}`;
  const source = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    // after the first step, the rest in one go: fewer chances for a concurrent write to restart the copy
    await source.backup(temp, { progress: () => 1_000_000 });
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  } finally {
    source.close();
  }
  const copy = new Database(temp, { fileMustExist: true });
  let result: BackupResult;
  try {
    // a stand-alone file: no write-ahead log beside it
    copy.pragma("journal_mode = DELETE");
    const integrity = String(copy.pragma("integrity_check", { simple: true }));
    const messages = Number(copy.prepare(`SELECT COUNT(*) FROM "Message"`).pluck().get());
    result = { bytes: 0, messages, integrity };
  } finally {
    copy.close();
  }
  if (result.integrity !== "ok") {
    rmSync(temp, { force: true });
    throw new Error(`the copy failed its integrity check: ${result.integrity}`);
  }
  renameSync(temp, target);
  return { ...result, bytes: statSync(target).size };
}
