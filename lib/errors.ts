// Typed failures that services throw; each transport maps them once (HTTP status, ack error, WS frame).
import { HTTP_STATUS, type ErrorCode, type WireError } from "./protocol";

export { HTTP_STATUS };

// Next bundles route handlers apart from the services that server.ts loads, so `instanceof` would compare
// two copies of this class: a registered symbol marks the errors instead.
const BRAND = Symbol.for("chatterbox.AppError");

export class AppError extends Error {
  override name = "AppError";
  readonly [BRAND] = true;
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    /** seconds to wait, for rate_limited */
    readonly retryAfter?: number,
  ) {
    super(detail);
  }
}

export function isAppError(err: unknown): err is AppError {
  return typeof err === "object" && err !== null && (err as Record<symbol, unknown>)[BRAND] === true;
}

/** Any thrown value as a wire error; unknown errors never leak their message. */
export function toWireError(err: unknown): WireError {
  if (isAppError(err)) return { code: err.code, detail: err.detail };
  return { code: "internal", detail: "Internal server error" };
}
