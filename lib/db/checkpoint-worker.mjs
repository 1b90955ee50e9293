// WAL checkpoints on their own thread. SQLite's automatic checkpoint runs inside whichever commit pushes the
// WAL past 1000 pages: it copies pages into the database file and fsyncs it, milliseconds during which that
// commit — and, since better-sqlite3 is synchronous, the event loop — waits. Here the WAL's size is looked at
// every `intervalMs`, and once it has passed `minWalBytes` (SQLite's own threshold by default) a PASSIVE
// checkpoint runs on a separate connection; it never blocks readers or writers.
// Plain JS so that it loads the same under tsx, Vitest and node.
import { statSync } from "node:fs";
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

const { databasePath, intervalMs, minWalBytes } = workerData;
/** consecutive failures before giving up: the parent then turns automatic checkpoints back on */
const MAX_FAILURES = 5;
const db = new Database(databasePath, { timeout: 0 });
let failures = 0;
/** bytes in the WAL file (0 when there is none); it is reused from its start after a complete checkpoint */
const walBytes = () => statSync(`${databasePath}-wal`, { throwIfNoEntry: false })?.size ?? 0;
let checkpointedAt = -1;
const timer = setInterval(() => {
  try {
    const size = walBytes();
    // the file does not shrink: look for growth past the threshold since the last checkpoint
    if (size < minWalBytes || size === checkpointedAt) return;
    // PASSIVE reports "busy" in its result rather than failing; an exception is a real problem
    db.pragma("wal_checkpoint(PASSIVE)");
    checkpointedAt = size;
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
