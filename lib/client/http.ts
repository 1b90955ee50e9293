// The REST side of the client core: one request function and the reads both front ends make, every answer
// validated with the protocol's schemas. The web UI passes its page origin (the session cookie goes along);
// the terminal client its server URL and token (sent as Bearer).
import type { z } from "zod";
import {
  LIMITS,
  avatarResponseSchema,
  changesResponseSchema,
  directoryResponseSchema,
  errorBodySchema,
  meResponseSchema,
  membersResponseSchema,
  messagesResponseSchema,
  notificationSettingsSchema,
  pushKeyResponseSchema,
  revokedResponseSchema,
  sessionsResponseSchema,
  roomsResponseSchema,
  searchResponseSchema,
  usersResponseSchema,
  type DirectoryEntry,
  type MeResponse,
  type Message,
  type NotificationSettings,
  type PushSubscriptionInput,
  type PasswordChange,
  type ProfilePatch,
  type SessionInfo,
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
  /** sent as User-Agent where the runtime allows (the terminal names itself; browsers send their own) */
  userAgent?: string;
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
    init: {
      method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
      body?: unknown;
      signal?: AbortSignal | undefined;
    } = {},
  ): Promise<HttpAnswer> {
    const headers: Record<string, string> = { accept: "application/json" };
    // a form (an upload) sets its own multipart content type and boundary
    const form = typeof FormData !== "undefined" && init.body instanceof FormData;
    if (init.body !== undefined && !form) headers["content-type"] = "application/json";
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (options.userAgent !== undefined) headers["user-agent"] = options.userAgent;
    const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    let response: Response;
    try {
      const relative = path.replace(/^\/+/, "");
      response = await fetch(options.baseUrl ? new URL(relative, base) : `/${relative}`, {
        method: init.method ?? "GET",
        headers,
        credentials: "same-origin",
        body: init.body === undefined ? undefined : form ? (init.body as FormData) : JSON.stringify(init.body),
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

  /** The answer's body as `schema` says, after a 2xx; any other status is thrown as an ApiError. */
  function bodyAs<S extends z.ZodType>(answer: HttpAnswer, schema: S): z.infer<S> {
    if (answer.status < 200 || answer.status >= 300) throw failure(answer);
    const parsed = schema.safeParse(answer.body);
    if (!parsed.success) throw new ApiError(answer.status, "malformed answer from the server");
    return parsed.data;
  }

  async function getJson<S extends z.ZodType>(path: string, schema: S, signal?: AbortSignal): Promise<z.infer<S>> {
    return bodyAs(await request(path, { signal }), schema);
  }

  /** A request whose success is `schema`'s (any 2xx), else its ApiError. */
  async function call<S extends z.ZodType>(
    path: string,
    schema: S,
    init: Parameters<typeof request>[1] = {},
  ): Promise<z.infer<S>> {
    return bodyAs(await request(path, init), schema);
  }

  /** A write whose answer has no body the client reads: any non-2xx is thrown as an ApiError. */
  async function write(method: "POST" | "PUT" | "DELETE", path: string, body: unknown): Promise<HttpAnswer> {
    const answer = await request(path, { method, body });
    if (answer.status < 200 || answer.status >= 300) throw failure(answer);
    return answer;
  }

  return {
    request,
    failure,
    getJson,
    /** The signed-in user's own profile. */
    me: (): Promise<MeResponse> => call("api/me", meResponseSchema),
    /** Changes the display name and/or status (null clears); the profile after. */
    updateProfile: (patch: ProfilePatch): Promise<MeResponse> =>
      call("api/me", meResponseSchema, { method: "PATCH", body: patch }),
    /** Uploads an image as the avatar (the server resizes it); its URL. */
    async uploadAvatar(file: Blob, filename = "avatar"): Promise<string> {
      const form = new FormData();
      form.append("file", file, filename);
      return (await call("api/me/avatar", avatarResponseSchema, { method: "POST", body: form })).avatarUrl;
    },
    removeAvatar: async (): Promise<void> => {
      const answer = await request("api/me/avatar", { method: "DELETE" });
      if (answer.status !== 200) throw failure(answer);
    },
    /** A wrong current password is a 403 ApiError; every other session is ended. */
    changePassword: (input: PasswordChange) =>
      call("api/me/password", revokedResponseSchema, { method: "POST", body: input }),
    sessions: async (): Promise<SessionInfo[]> => (await call("api/me/sessions", sessionsResponseSchema)).sessions,
    revokeSession: (id: number) => call(`api/me/sessions/${id}`, revokedResponseSchema, { method: "DELETE" }),
    revokeOtherSessions: () => call("api/me/sessions", revokedResponseSchema, { method: "DELETE" }),
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
    /** The user's notification level and per-room overrides. */
    notificationSettings: async (signal?: AbortSignal): Promise<NotificationSettings> =>
      getJson("api/me/notifications", notificationSettingsSchema, signal),
    /** Replaces them; the server's answer is what now applies. */
    saveNotificationSettings: async (settings: NotificationSettings): Promise<NotificationSettings> =>
      bodyAs(await write("PUT", "api/me/notifications", settings), notificationSettingsSchema),
    /** The server's VAPID public key (base64url), PushManager.subscribe's applicationServerKey. */
    pushKey: async (): Promise<string> => (await getJson("api/push/key", pushKeyResponseSchema)).publicKey,
    /** Stores a browser's push subscription for the user. */
    addPushSubscription: async (subscription: PushSubscriptionInput): Promise<void> => {
      await write("POST", "api/push/subscriptions", subscription);
    },
    /** Forgets one (the server answers 404 when it held none there). */
    removePushSubscription: async (endpoint: string): Promise<void> => {
      await write("DELETE", "api/push/subscriptions", { endpoint });
    },
  };
}
