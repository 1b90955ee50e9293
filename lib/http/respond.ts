// What every route handler shares: JSON replies, error mapping, body parsing. Handlers stay thin.
import type { z } from "zod";
import { AppError, HTTP_STATUS, isAppError } from "../errors";
import { describeZodError } from "../protocol";

/** Set by the server factory from the TCP peer, overwriting anything a client sent: throttles key on real addresses. */
export const CLIENT_IP_HEADER = "x-chatterbox-client-ip";
const MAX_BODY_BYTES = 16 * 1024;

export function json(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  headers.set("cache-control", "no-store");
  return new Response(JSON.stringify(body), { ...init, headers });
}

export function errorResponse(err: unknown): Response {
  if (isAppError(err)) {
    const headers: Record<string, string> = {};
    if (err.retryAfter !== undefined) headers["retry-after"] = String(err.retryAfter);
    return json({ detail: err.detail }, { status: HTTP_STATUS[err.code], headers });
  }
  console.error("unhandled error in route handler", err);
  return json({ detail: "Internal server error" }, { status: 500 });
}

/** Wraps a handler so that thrown AppErrors become their JSON reply and nothing else leaks. */
export function route<A extends unknown[]>(handler: (req: Request, ...rest: A) => Promise<Response>) {
  return async (req: Request, ...rest: A): Promise<Response> => {
    try {
      return await handler(req, ...rest);
    } catch (err) {
      return errorResponse(err);
    }
  };
}

/** A path segment, percent-decoded; a malformed escape is the client's error (422), not a 500. */
export function decodeParam(value: string, what: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new AppError("invalid_input", `${what} is not validly percent-encoded`);
  }
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new AppError("invalid_input", describeZodError(result.error));
  return result.data;
}

/**
 * The body as text, read only up to `max` bytes: a larger (or endless chunked) body stops there, refused
 * with `code` (400 for the JSON API as before; 413 where senders expect it, as on /hooks).
 */
export async function readLimited(
  req: Request,
  max: number,
  code: "bad_request" | "too_large" = "bad_request",
): Promise<string> {
  const tooLarge = () => new AppError(code, `Request body is too large (at most ${max} bytes)`);
  if (Number(req.headers.get("content-length") ?? 0) > max) throw tooLarge();
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The request's JSON body, validated; malformed or oversized bodies are 400s, never 500s. */
export async function readJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  const text = await readLimited(req, MAX_BODY_BYTES);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "Request body must be valid JSON");
  }
  return parseOrThrow(schema, body);
}

export function clientIp(req: Request): string {
  return req.headers.get(CLIENT_IP_HEADER) ?? "unknown";
}
