// bcrypt runs here, on its own thread, so a login storm never stalls message delivery on the main loop.
// Plain JS so that it loads the same under tsx, Vitest and node.
import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import bcrypt from "bcryptjs";

// Lowest CPU priority for this thread (on Linux, priority applies per thread): when hashing and message
// delivery compete for a core, delivery wins and a login storm only makes logins slower.
try {
  setPriority(19);
} catch {
  // not permitted here: hashing still runs off the event loop
}

parentPort.on("message", ({ id, op, password, hash, cost }) => {
  try {
    const result = op === "hash" ? bcrypt.hashSync(password, cost) : bcrypt.compareSync(password, hash);
    parentPort.postMessage({ id, result });
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
