// WAL checkpoints on their own thread. SQLite's automatic checkpoint runs inside whichever commit pushes the
// WAL past 1000 pages: it copies pages into the database file and fsyncs it, milliseconds during which that
// commit — and, since better-sqlite3 is synchronous, the event loop — waits. Here a PASSIVE checkpoint runs
// every `intervalMs` on a separate connection instead; it never blocks readers or writers.
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
const db = new Database(databasePath, { timeout: 0 });
const timer = setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // busy (another checkpoint, or a migration): the next tick tries again
  }
}, intervalMs);

parentPort.on("message", (message) => {
  if (message !== "close") return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
