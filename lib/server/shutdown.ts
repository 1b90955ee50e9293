// How the server process stops: SIGTERM or SIGINT closes it gracefully and exits 0 (1 if closing failed);
// should closing take longer than `forceExitMs`, or another signal come (a second or more after the first), it exits 1
// at once.
import type { Logger } from "../logger";

// npm and tsx each relay the terminal's Ctrl-C, so one keypress can arrive twice within milliseconds: a
// repeat this soon is the same request, not a second one
const SAME_SIGNAL_MS = 1000;

export function onSignals(close: () => Promise<void>, logger: Logger, opts: { forceExitMs?: number } = {}): void {
  const forceExitMs = opts.forceExitMs ?? 10_000;
  const forceExit = (why: string) => {
    logger.error(`${why}: exiting now`);
    process.exit(1);
  };
  let firstAt: number | undefined;
  const shutdown = (signal: NodeJS.Signals) => {
    if (firstAt !== undefined) {
      if (Date.now() - firstAt >= SAME_SIGNAL_MS) forceExit(`${signal} during shutdown`);
      return;
    }
    firstAt = Date.now();
    logger.info(`${signal}: shutting down`);
    setTimeout(() => forceExit(`shutdown took over ${forceExitMs} ms`), forceExitMs).unref();
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}
