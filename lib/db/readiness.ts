// Readiness: is the database fully migrated, and can it take a write now? Asked on a connection of its own,
// opened per probe, so it sees the file as it is now (permissions, a read-only remount), not as it was at
// start-up. A write lock held by someone else is not a failure: busy means writable.
import Database from "better-sqlite3";
import { MIGRATIONS_DIR, pendingMigrations } from "./migrate";

const NOT_WRITABLE = new Set(["SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_FULL", "SQLITE_PERM", "SQLITE_AUTH"]);

function writeProbe(databasePath: string): string | null {
  let conn: Database.Database | undefined;
  try {
    conn = new Database(databasePath, { fileMustExist: true, timeout: 0 });
    conn.exec("BEGIN IMMEDIATE");
    conn.exec("ROLLBACK");
    return null;
  } catch (err) {
    const code = (err as { code?: string }).code ?? "";
    if (code === "SQLITE_BUSY") return null;
    const what = err instanceof Error ? err.message : String(err);
    return NOT_WRITABLE.has(code) || code.startsWith("SQLITE_IOERR")
      ? `database is not writable: ${what}`
      : `database check failed: ${what}`;
  } finally {
    conn?.close();
  }
}

/** null when ready; else the reason, for the 503 body */
export function notReadyReason(databasePath: string, migrationsDir = MIGRATIONS_DIR): string | null {
  let pending: string[];
  try {
    pending = pendingMigrations(databasePath, migrationsDir);
  } catch (err) {
    return `database cannot be read: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (pending.length > 0) return `migrating: ${pending.length} migration(s) not yet applied (${pending.join(", ")})`;
  return writeProbe(databasePath);
}
