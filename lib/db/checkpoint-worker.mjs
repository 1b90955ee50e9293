// WAL checkpoints on their own thread. SQLite's automatic checkpoint runs inside whichever commit pushes the
// WAL past 1000 pages: it copies pages into the database file and fsyncs it, milliseconds during which that
// commit — and, since better-sqlite3 is synchronous, the event loop — waits. Here a PASSIVE checkpoint runs
// every `intervalMs` on a separate connection instead; it never blocks readers or writers. Every second
// rather than at SQLite's 1000 pages on purpose: a 4 MB checkpoint's fsync stalled the writer's own fsyncs
// (p99 13 ms at 200 msg/s in the bench), one second's worth does not (≈ 3 ms).
// Plain JS so that it loads the same under tsx, Vitest and node.
import { setPriority } from "node:os";
import { clearInterval, setInterval } from "node:timers";
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

// lowest CPU priority, as for bcrypt (lib/services/password-worker.mjs): on a busy core the event loop wins
try {
  setPriority(19);
} catch {
  // not permitted here
}

const { databasePath, intervalMs } = workerData;
/** consecutive failures before giving up: the parent then turns automatic checkpoints back on */
const MAX_FAILURES = 5;
const db = new Database(databasePath, { timeout: 0 });
let failures = 0;
const timer = setInterval(() => {
  try {
    // PASSIVE reports "busy" in its result rather than failing; an exception is a real problem
    db.pragma("wal_checkpoint(PASSIVE)");
    failures = 0;
  } catch (err) {
    if (++failures < MAX_FAILURES) return; // maybe transient (another checkpoint running): try again
    clearInterval(timer);
    db.close();
    throw err; // ends the worker: its "error" event reaches startCheckpointer's onFailure
  }
}, intervalMs);

parentPort.on("message", (message) => {
  if (message !== "close") return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
