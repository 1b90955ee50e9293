// The exit codes every `chatterbox` subcommand keeps (listed by --help and the README "Scripting"), and how
// a failure maps onto them.
import { type CommanderError } from "commander";
import { ConfigError } from "../../lib/config";
import { ApiError, NetworkError, RequestError, SendRejectedError, SessionClosedError } from "../../lib/client/errors";
import { UsageError } from "../login";

export const EXIT = {
  ok: 0,
  /** the server refused: a message, a room, a login */
  refused: 1,
  /** wrong use of the command line, or not logged in (no token, or the server no longer accepts it) */
  usage: 2,
  /** the server could not be reached */
  unreachable: 3,
} as const;

export const EXIT_CODES_HELP =
  "\nExit codes:\n" +
  "  0  done (for send: every message acknowledged by the server)\n" +
  "  1  refused by the server (message, room or credentials)\n" +
  "  2  usage error, or not logged in (no token, or the server refused it)\n" +
  "  3  cannot reach the server";

/** Not logged in: no stored token, or the server answered 401 to it. */
export class NotLoggedInError extends Error {
  override name = "NotLoggedInError";
}

/** The exit code for a failure, and what to print (nothing for an interrupted prompt). */
export function describeFailure(err: unknown): { message: string; code: number } {
  if (err instanceof ConfigError || err instanceof UsageError || err instanceof NotLoggedInError) {
    return { message: err.message, code: EXIT.usage };
  }
  if (err instanceof SessionClosedError && err.reason === "unauthorized") {
    return { message: "The server refused the token (expired or revoked); log in again.", code: EXIT.usage };
  }
  if (err instanceof ApiError && err.status === 401) {
    return { message: `Not logged in: ${err.detail}`, code: EXIT.usage };
  }
  if (err instanceof NetworkError) return { message: err.message, code: EXIT.unreachable };
  if (err instanceof ApiError || err instanceof RequestError || err instanceof SendRejectedError) {
    return { message: err.message, code: EXIT.refused };
  }
  if (err instanceof Error && err.name === "ExitPromptError") return { message: "", code: 130 };
  return { message: err instanceof Error ? (err.stack ?? err.message) : String(err), code: EXIT.refused };
}

/** Commander's own errors: help and version are fine, every parse error is a usage error. */
export const commanderExitCode = (err: CommanderError): number => (err.exitCode === 0 ? EXIT.ok : EXIT.usage);
