// Expired sessions are refused on use; this only keeps the table from growing for ever. Both data layers
// (SQLite and PostgreSQL) schedule it the same way.
import type { SessionQueries } from "./data-layer";

const PURGE_INTERVAL_MS = 60 * 60 * 1000;
/** the first a little after start-up, not during it: start-up and the first requests do not wait for it */
const FIRST_PURGE_DELAY_MS = 10_000;

/** Starts the hourly purge; returns what stops it. */
export function scheduleSessionPurge(sessions: Pick<SessionQueries, "deleteExpiredSessions">): () => void {
  const purge = () => void sessions.deleteExpiredSessions(new Date()).catch(() => undefined);
  const soon = setTimeout(purge, FIRST_PURGE_DELAY_MS).unref();
  const every = setInterval(purge, PURGE_INTERVAL_MS).unref();
  return () => {
    clearTimeout(soon);
    clearInterval(every);
  };
}
