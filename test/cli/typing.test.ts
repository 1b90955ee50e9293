// Typing reports from others and the throttle on the user's own, without a terminal or a server.
import { describe, expect, it } from "vitest";
import { TypingThrottle, TypingTracker } from "../../cli/terminal/typing";

describe("typing", () => {
  it("expires reports after the ttl, renews them, and clears them on a message", () => {
    const typing = new TypingTracker(3000);
    typing.add("ops", "alice", 1000);
    typing.add("OPS", "bob", 2000);
    expect(typing.names("ops", 2500)).toEqual(["alice", "bob"]);
    expect(typing.nextExpiry("ops", 2500)).toBe(4000);
    expect(typing.names("ops", 4000)).toEqual(["bob"]);
    typing.add("ops", "bob", 4500);
    expect(typing.names("ops", 6000)).toEqual(["bob"]);
    typing.clear("ops", "Bob");
    expect(typing.names("ops", 6000)).toEqual([]);
    expect(typing.nextExpiry("ops", 6000)).toBeUndefined();
    expect(typing.names("general", 0)).toEqual([]);
  });

  it("sends at most one typing event per room per interval", () => {
    const throttle = new TypingThrottle(2000);
    expect(throttle.shouldSend("ops", 0)).toBe(true);
    expect(throttle.shouldSend("ops", 1999)).toBe(false);
    expect(throttle.shouldSend("ops", 2000)).toBe(true);
    expect(throttle.shouldSend("dev", 2001)).toBe(true); // another room
    throttle.reset();
    expect(throttle.shouldSend("dev", 2002)).toBe(true);
  });
});
