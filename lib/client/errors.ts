// What the client core throws, the same for the web UI and the terminal client.
import type { ErrorCode, WireError } from "../protocol";

/** The server answered with an error status; `detail` is its explanation (sanitize before printing). */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** The server could not be reached (refused, DNS, timeout, TLS, …). */
export class NetworkError extends Error {
  override name = "NetworkError";
  constructor(
    readonly serverUrl: string,
    reason: string,
  ) {
    super(`Cannot reach the server at ${serverUrl} (${reason})`);
  }
}

/** The server refused a message for a reason a retry cannot fix (e.g. invalid input). */
export class SendRejectedError extends Error {
  override name = "SendRejectedError";
  constructor(readonly error: WireError) {
    super(error.detail);
  }
}

/** A room request (create, join, leave, invite, read, page) was refused, or could not be made. */
export class RequestError extends Error {
  override name = "RequestError";
  constructor(
    detail: string,
    readonly code?: ErrorCode,
  ) {
    super(detail);
  }
}

/** The session was closed before the request finished. */
export class SessionClosedError extends Error {
  override name = "SessionClosedError";
  constructor(readonly reason: "closed" | "unauthorized" = "closed") {
    super(reason === "unauthorized" ? "not logged in" : "the chat session was closed");
  }
}
