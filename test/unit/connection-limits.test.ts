// MAX_SOCKETS_PER_USER's bookkeeping (lib/realtime/connection-limits.ts) on its own: the integration suite
// (test/security/connection-limits) drives it through both transports.
import { describe, expect, it } from "vitest";
import { createLogger } from "@/lib/logger";
import { createUserSocketLimit } from "@/lib/realtime/connection-limits";
import { createCounters } from "@/lib/server/counters";

function setup() {
  const counters = createCounters();
  const limit = createUserSocketLimit({ maxPerUser: 2, logger: createLogger("silent"), counters });
  const closed: string[] = [];
  const close = (s: { name: string }) => closed.push(s.name);
  return { limit, counters, closed, close };
}

describe("the per-user socket cap", () => {
  it("closes the user's oldest socket past the cap, with the close function it was admitted with", () => {
    const { limit, counters, closed, close } = setup();
    const closeOther = (s: { name: string }) => closed.push(`${s.name} (socket.io)`);
    const [a, b, c, d] = [{ name: "a" }, { name: "b" }, { name: "c" }, { name: "d" }];
    limit.admit(1, "ws", a, close);
    limit.admit(1, "socket.io", b, closeOther);
    limit.admit(2, "ws", { name: "other user" }, close);
    expect(closed).toEqual([]);
    limit.admit(1, "ws", c, close);
    expect(closed).toEqual(["a"]);
    limit.admit(1, "ws", d, close);
    expect(closed).toEqual(["a", "b (socket.io)"]);
    expect(counters.socketsOverUserCap).toBe(2);
    limit.release(b);
    limit.release(a);
    expect(limit.count(1)).toBe(2);
    expect(limit.count(2)).toBe(1);
  });

  it("forgets a socket once it closes: twice, or after being closed as the oldest, changes nothing", () => {
    const { limit, closed, close } = setup();
    const [a, b, c] = [{ name: "a" }, { name: "b" }, { name: "c" }];
    limit.admit(1, "ws", a, close);
    limit.admit(1, "ws", b, close);
    limit.admit(1, "ws", c, close); // closes a
    limit.release(a); // a's own close event, after it was put out
    expect(limit.count(1)).toBe(2);
    limit.release(b);
    limit.release(b);
    expect(limit.count(1)).toBe(1);
    limit.release(c);
    expect(limit.count(1)).toBe(0);
    limit.release({ name: "never admitted" });
    // room again for two: nobody is closed
    limit.admit(1, "ws", { name: "d" }, close);
    limit.admit(1, "ws", { name: "e" }, close);
    expect(closed).toEqual(["a"]);
  });
});
