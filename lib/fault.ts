// Test-only crash points (CHATTERBOX_FAULT, honoured only under NODE_ENV=test, see lib/config.ts): the
// crash test has the server SIGKILL itself at an exact point of a message's path, so each outcome of a
// crash is proven every run instead of wherever a kill from outside happens to land.
import { writeSync } from "node:fs";
import type { FaultPoint, FaultSpec } from "./config";

export interface Faults {
  /**
   * The path passes `point`: once the configured point has been passed `skip` times, the next pass writes
   * `FAULT <point> <detail>` to stderr and kills the process (SIGKILL: no close, no flush, no exit handlers).
   */
  pass(point: FaultPoint, detail?: () => string): void;
  /** The same, but the kill comes on the next turn of the event loop, after what this turn writes (an ack). */
  passThenDie(point: FaultPoint, detail?: () => string): boolean;
}

export const NO_FAULTS: Faults = { pass: () => undefined, passThenDie: () => false };

function die(point: FaultPoint, detail: (() => string) | undefined): void {
  // synchronous: the line is in the pipe before the signal
  writeSync(2, `FAULT ${point} ${detail?.() ?? ""}\n`);
  process.kill(process.pid, "SIGKILL");
}

export function createFaults(spec: FaultSpec | undefined): Faults {
  if (!spec) return NO_FAULTS;
  let passed = 0;
  const fires = (point: FaultPoint) => point === spec.point && passed++ >= spec.skip;
  return {
    pass(point, detail) {
      if (fires(point)) die(point, detail);
    },
    passThenDie(point, detail) {
      if (!fires(point)) return false;
      setImmediate(() => die(point, detail));
      return true;
    },
  };
}
