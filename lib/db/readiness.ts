// Readiness: is the database fully migrated, and can its files be written now? Asked of the file system at
// each probe, so it sees the files as they are now (permissions, an immutable file, a read-only remount), not
// as they were when the server's own connections opened them (those keep their writable descriptors, and
// SQLite hands a closed connection's descriptor to the next one in the process, so a fresh SQLite
// connection cannot tell either).
import { closeSync, existsSync, openSync } from "node:fs";
import { MIGRATIONS_DIR, pendingMigrations } from "./migrate";

function unwritable(files: string[]): string | null {
  for (const file of files) {
    try {
      closeSync(openSync(file, "r+"));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") continue;
      return `database is not writable: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  return null;
}

/** null when ready; else the reason, for the 503 body */
export function notReadyReason(databasePath: string, migrationsDir = MIGRATIONS_DIR): string | null {
  if (!existsSync(databasePath)) return "database file is missing";
  const blocked = unwritable([databasePath, `${databasePath}-wal`, `${databasePath}-shm`]);
  if (blocked) return blocked;
  let pending: string[];
  try {
    pending = pendingMigrations(databasePath, migrationsDir);
  } catch (err) {
    return `database cannot be read: ${err instanceof Error ? err.message : String(err)}`;
  }
  return pending.length > 0
    ? `migrating: ${pending.length} migration(s) not yet applied (${pending.join(", ")})`
    : null;
}
