// HTTP calls of the terminal client: register, log in, log out, check a token, page messages, list rooms,
// the public room directory, users and a room's members.
import type { Credentials, LoginResponse, Message, RoomSummary, UserSummary } from "../lib/protocol";
import { sanitizeInline } from "./sanitize";
import { detailOf, isRecord, isRoomSummary, isUserSummary, messagesOf } from "./wire";

const REQUEST_TIMEOUT_MS = 15_000;

/** The server answered with an error status; `detail` is its explanation, safe to print. */
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

function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === "TimeoutError") return "timed out";
  const cause: unknown = err.cause;
  if (cause instanceof Error) return "code" in cause && typeof cause.code === "string" ? cause.code : cause.message;
  return err.message;
}

async function request(
  serverUrl: string,
  path: string,
  init: { method: "GET" | "POST"; token?: string; body?: unknown },
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  let response: Response;
  try {
    response = await fetch(new URL(path, `${serverUrl}/`), {
      method: init.method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    throw new NetworkError(serverUrl, reasonOf(err));
  }
  const text = await response.text().catch(() => "");
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, body, headers: response.headers };
}

function failure(status: number, body: unknown, headers: Headers): ApiError {
  let detail = detailOf(body) ?? `the server answered HTTP ${status}`;
  const retryAfter = headers.get("retry-after");
  if (status === 429 && retryAfter) detail += ` (try again in ${retryAfter} s)`;
  return new ApiError(status, sanitizeInline(detail));
}

const ok = (status: number) => status >= 200 && status < 300;

export async function register(serverUrl: string, credentials: Credentials): Promise<void> {
  const res = await request(serverUrl, "register", { method: "POST", body: credentials });
  if (!ok(res.status)) throw failure(res.status, res.body, res.headers);
}

/** Log in; resolves with the session token. */
export async function login(serverUrl: string, credentials: Credentials): Promise<string> {
  const res = await request(serverUrl, "login", { method: "POST", body: credentials });
  if (!ok(res.status)) throw failure(res.status, res.body, res.headers);
  const body = res.body;
  if (!isRecord(body) || typeof body.token !== "string" || body.token === "") {
    throw new ApiError(res.status, "the server's login answer carried no token");
  }
  const answer: LoginResponse = { token: body.token };
  return answer.token;
}

/** Revoke the token. A token the server no longer knows (401) counts as logged out. */
export async function logout(serverUrl: string, token: string): Promise<void> {
  const res = await request(serverUrl, "logout", { method: "POST", token });
  if (!ok(res.status) && res.status !== 401) throw failure(res.status, res.body, res.headers);
}

/** Whether the server still accepts the token (only 401/403 count as "no"). */
export async function checkToken(serverUrl: string, token: string): Promise<boolean> {
  const res = await request(serverUrl, "api/messages?limit=1", { method: "GET", token });
  return res.status !== 401 && res.status !== 403;
}

async function getJson(serverUrl: string, token: string, path: string): Promise<unknown> {
  const res = await request(serverUrl, path, { method: "GET", token });
  if (!ok(res.status)) throw failure(res.status, res.body, res.headers);
  return res.body;
}

/** Up to `limit` messages after `after` (in `room`, default general), ascending by id. */
export async function messagesAfter(
  serverUrl: string,
  token: string,
  after: number,
  limit: number,
  room?: string,
): Promise<Message[]> {
  const query = new URLSearchParams({ after: String(after), limit: String(limit) });
  if (room !== undefined) query.set("room", room);
  return messagesOf(await getJson(serverUrl, token, `api/messages?${query}`));
}

/** A page of a room the user may read, ascending by id: the latest `limit`, or the `limit` before `before`. */
export async function messagesPage(
  serverUrl: string,
  token: string,
  room: string,
  page: { limit: number; before?: number },
): Promise<Message[]> {
  const query = new URLSearchParams({ room, limit: String(page.limit) });
  if (page.before !== undefined) query.set("before", String(page.before));
  return messagesOf(await getJson(serverUrl, token, `api/messages?${query}`));
}

/** The user's rooms and direct messages, with unread counts. */
export async function listRooms(serverUrl: string, token: string): Promise<RoomSummary[]> {
  const body = await getJson(serverUrl, token, "api/rooms");
  return isRecord(body) && Array.isArray(body.rooms) ? body.rooms.filter(isRoomSummary) : [];
}

export interface DirectoryEntry {
  name: string;
  joined: boolean;
}

/** Every public room, with whether the user is in it. */
export async function roomDirectory(serverUrl: string, token: string): Promise<DirectoryEntry[]> {
  const body = await getJson(serverUrl, token, "api/rooms?directory=1");
  if (!isRecord(body) || !Array.isArray(body.rooms)) return [];
  return body.rooms.filter(
    (r): r is DirectoryEntry => isRecord(r) && typeof r.name === "string" && typeof r.joined === "boolean",
  );
}

/** Everyone, with presence and last-seen time. */
export async function listUsers(serverUrl: string, token: string): Promise<UserSummary[]> {
  const body = await getJson(serverUrl, token, "api/users");
  return isRecord(body) && Array.isArray(body.users) ? body.users.filter(isUserSummary) : [];
}

/** The usernames of a room's members (a room the user may read). */
export async function roomMembers(serverUrl: string, token: string, room: string): Promise<string[]> {
  const body = await getJson(serverUrl, token, `api/rooms/${encodeURIComponent(room)}/members`);
  return isRecord(body) && Array.isArray(body.members)
    ? body.members.filter((m): m is string => typeof m === "string")
    : [];
}
