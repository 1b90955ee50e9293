// onSignals (lib/server/shutdown.ts): one graceful close per shutdown, a later signal or a slow close forces
// the exit. Signal handlers and process.exit are stubbed; nothing is really sent or exited.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "@/lib/logger";
import { onSignals } from "@/lib/server/shutdown";

type Handler = (signal: NodeJS.Signals) => void;
let handlers: Map<string, Handler>;
let exit: ReturnType<typeof vi.fn>;

beforeEach(() => {
  vi.useFakeTimers();
  handlers = new Map();
  vi.spyOn(process, "on").mockImplementation(((event: string, h: Handler) => {
    handlers.set(event, h);
    return process;
  }) as typeof process.on);
  exit = vi.fn();
  vi.spyOn(process, "exit").mockImplementation(exit as unknown as typeof process.exit);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const signal = (s: NodeJS.Signals) => handlers.get(s)?.(s);
const logger = createLogger("silent");

describe("onSignals", () => {
  it("closes once on SIGTERM and exits 0; a repeat at once (npm and tsx relaying Ctrl-C) is the same one", async () => {
    const close = vi.fn(() => Promise.resolve());
    onSignals(close, logger);
    signal("SIGTERM");
    signal("SIGINT");
    await vi.advanceTimersByTimeAsync(0);
    expect(close).toHaveBeenCalledTimes(1);
    expect(exit.mock.calls).toEqual([[0]]);
  });

  it("exits 1 on a later signal while closing, and after forceExitMs when closing hangs", async () => {
    const close = vi.fn(() => new Promise<void>(() => undefined));
    onSignals(close, logger, { forceExitMs: 5000 });
    signal("SIGINT");
    await vi.advanceTimersByTimeAsync(2000);
    expect(exit).not.toHaveBeenCalled();
    signal("SIGINT");
    expect(exit).toHaveBeenCalledWith(1);
    exit.mockClear();
    await vi.advanceTimersByTimeAsync(3000);
    expect(exit).toHaveBeenCalledWith(1);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it("exits 1 when closing fails", async () => {
    onSignals(() => Promise.reject(new Error("disk gone")), logger);
    signal("SIGTERM");
    await vi.advanceTimersByTimeAsync(0);
    expect(exit.mock.calls).toEqual([[1]]);
  });
});
