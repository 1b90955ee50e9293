// HTTP calls of the terminal client: register, log in, log out, check a token, and the shared client core's
// REST reads (lib/client/http.ts) with the token as Bearer.
import { ApiError } from "../lib/client/errors";
import { createHttp, type Http } from "../lib/client/http";
import {
  loginResponseSchema,
  type Credentials,
  type DirectoryEntry,
  type RoomSummary,
  type UserSummary,
} from "../lib/protocol";
import { sanitizeInline } from "./sanitize";

export { ApiError, NetworkError } from "../lib/client/errors";

/** What the server's sessions list shows for this client (lib/text/device.ts names it "Terminal client"). */
export const CLI_USER_AGENT = `chatterbox-cli (node ${process.versions.node}; ${process.platform})`;

/** The shared client core's REST layer for this server, with the token as Bearer and this client's user agent. */
export const clientHttp = (serverUrl: string, token?: string): Http =>
  createHttp({ baseUrl: serverUrl, token, cleanDetail: sanitizeInline, userAgent: CLI_USER_AGENT });
export const http = clientHttp;

const ok = (status: number) => status >= 200 && status < 300;

export async function register(serverUrl: string, credentials: Credentials): Promise<void> {
  const client = http(serverUrl);
  const res = await client.request("register", { method: "POST", body: credentials });
  if (!ok(res.status)) throw client.failure(res);
}

/** Log in; resolves with the session token. */
export async function login(serverUrl: string, credentials: Credentials): Promise<string> {
  const client = http(serverUrl);
  const res = await client.request("login", { method: "POST", body: credentials });
  if (!ok(res.status)) throw client.failure(res);
  const answer = loginResponseSchema.safeParse(res.body);
  if (!answer.success) throw new ApiError(res.status, "the server's login answer carried no token");
  return answer.data.token;
}

/** Revoke the token. A token the server no longer knows (401) counts as logged out. */
export async function logout(serverUrl: string, token: string): Promise<void> {
  const client = http(serverUrl, token);
  const res = await client.request("logout", { method: "POST" });
  if (!ok(res.status) && res.status !== 401) throw client.failure(res);
}

/** Whether the server still accepts the token (only 401/403 count as "no"). */
export async function checkToken(serverUrl: string, token: string): Promise<boolean> {
  const res = await http(serverUrl, token).request("api/messages?limit=1");
  return res.status !== 401 && res.status !== 403;
}

/** The user's rooms and direct messages, with unread counts. */
export const listRooms = (serverUrl: string, token: string): Promise<RoomSummary[]> => http(serverUrl, token).rooms();

/** Every public room, with whether the user is in it. */
export const roomDirectory = (serverUrl: string, token: string): Promise<DirectoryEntry[]> =>
  http(serverUrl, token).directory();

/** Everyone, with presence and last-seen time. */
export const listUsers = (serverUrl: string, token: string): Promise<UserSummary[]> => http(serverUrl, token).users();

/** The usernames of a room's members (a room the user may read). */
export const roomMembers = (serverUrl: string, token: string, room: string): Promise<string[]> =>
  http(serverUrl, token).members(room);

/** A page of search results (SPEC.md "Search"), newest first; `cursor` is the previous page's `next`. */
export const searchMessages = (serverUrl: string, token: string, q: string, cursor?: string | null) =>
  http(serverUrl, token).search(q, { cursor: cursor ?? null });
