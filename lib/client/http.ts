// The REST side of the client core: one request function and the reads both front ends make, every answer
// validated with the protocol's schemas. The web UI passes its page origin (the session cookie goes along);
// the terminal client its server URL and token (sent as Bearer).
import type { z } from "zod";
import {
  LIMITS,
  changesResponseSchema,
  directoryResponseSchema,
  errorBodySchema,
  membersResponseSchema,
  messagesResponseSchema,
  roomsResponseSchema,
  searchResponseSchema,
  usersResponseSchema,
  type DirectoryEntry,
  type Message,
  type RoomSummary,
  type SearchResponse,
  type UserSummary,
} from "../protocol";
import { ApiError, NetworkError } from "./errors";

const REQUEST_TIMEOUT_MS = 15_000;

export interface HttpOptions {
  /** the server's origin (and path prefix, if any); "" for the page's own origin (the browser) */
  baseUrl: string;
  /** a bearer token; without it the browser's cookie is sent (same origin) */
  token?: string | undefined;
  /** applied to every error detail the server sends (the terminal strips control characters) */
  cleanDetail?: (detail: string) => string;
}

export interface PageQuery {
  before?: number;
  after?: number;
  /** the page around this message */
  around?: number;
  limit?: number;
}

export interface HttpAnswer {
  status: number;
  body: unknown;
  headers: Headers;
}

function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === "TimeoutError") return "timed out";
  const cause: unknown = err.cause;
  if (cause instanceof Error) return "code" in cause && typeof cause.code === "string" ? cause.code : cause.message;
  return err.message;
}

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => "");
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

export type Http = ReturnType<typeof createHttp>;

export function createHttp(options: HttpOptions) {
  const clean = options.cleanDetail ?? ((detail: string) => detail);
  const base = `${options.baseUrl.replace(/\/+$/, "")}/`;

  async function request(
    path: string,
    init: { method?: "GET" | "POST" | "DELETE"; body?: unknown; signal?: AbortSignal | undefined } = {},
  ): Promise<HttpAnswer> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (init.body !== undefined) headers["content-type"] = "application/json";
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    let response: Response;
    try {
      const relative = path.replace(/^\/+/, "");
      response = await fetch(options.baseUrl ? new URL(relative, base) : `/${relative}`, {
        method: init.method ?? "GET",
        headers,
        credentials: "same-origin",
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
      });
    } catch (err) {
      if (init.signal?.aborted) throw err;
      throw new NetworkError(options.baseUrl || "this page's server", reasonOf(err));
    }
    return { status: response.status, body: await bodyOf(response), headers: response.headers };
  }

  /** The ApiError for a refusal: the server's detail, and when to try again if it said. */
  function failure({ status, body, headers }: HttpAnswer): ApiError {
    const parsed = errorBodySchema.safeParse(body);
    let detail = parsed.success ? parsed.data.detail : `the server answered HTTP ${status}`;
    const retryAfter = headers.get("retry-after");
    if (status === 429 && retryAfter) detail += ` (try again in ${retryAfter} s)`;
    return new ApiError(status, clean(detail));
  }

  async function getJson<S extends z.ZodType>(path: string, schema: S, signal?: AbortSignal): Promise<z.infer<S>> {
    const answer = await request(path, { signal });
    if (answer.status < 200 || answer.status >= 300) throw failure(answer);
    const parsed = schema.safeParse(answer.body);
    if (!parsed.success) throw new ApiError(answer.status, "malformed answer from the server");
    return parsed.data;
  }

  return {
    request,
    failure,
    /** A page of a room: the latest `limit`, or `limit` before `before` / after `after`, ascending by id. */
    async messages(room: string | undefined, query: PageQuery = {}): Promise<Message[]> {
      const params = new URLSearchParams();
      if (query.after !== undefined) params.set("after", String(query.after));
      if (query.before !== undefined) params.set("before", String(query.before));
      if (query.around !== undefined) params.set("around", String(query.around));
      params.set("limit", String(query.limit ?? LIMITS.historyDefault));
      if (room !== undefined) params.set("room", room);
      return (await getJson(`api/messages?${params}`, messagesResponseSchema)).messages;
    },
    /** What was created or changed after seq `since` in the user's rooms, ascending by seq; `next` continues. */
    changes: async (since: number, limit: number = LIMITS.changesMax) =>
      getJson(`api/changes?since=${since}&limit=${limit}`, changesResponseSchema),
    /** The user's rooms and direct messages, with unread counts. */
    rooms: async (): Promise<RoomSummary[]> => (await getJson("api/rooms", roomsResponseSchema)).rooms,
    /** Every public room, with whether the user is in it. */
    directory: async (signal?: AbortSignal): Promise<DirectoryEntry[]> =>
      (await getJson("api/rooms?directory=1", directoryResponseSchema, signal)).rooms,
    /** Everyone, with presence and last-seen time. */
    users: async (): Promise<UserSummary[]> => (await getJson("api/users", usersResponseSchema)).users,
    /** A page of search results, newest first (`cursor`: the previous page's `next`); a bad query is a 422 ApiError. */
    async search(q: string, opts: { cursor?: string | null; limit?: number; signal?: AbortSignal } = {}) {
      const params = new URLSearchParams({ q, limit: String(opts.limit ?? LIMITS.searchDefault) });
      if (opts.cursor) params.set("cursor", opts.cursor);
      const page: SearchResponse = await getJson(`api/search?${params}`, searchResponseSchema, opts.signal);
      return page;
    },
    /** The usernames of a room's members (a room the user may read). */
    members: async (room: string, signal?: AbortSignal): Promise<string[]> =>
      (await getJson(`api/rooms/${encodeURIComponent(room)}/members`, membersResponseSchema, signal)).members,
  };
}
