// The REST reads the chat UI makes, with the server's `detail` as the error message.
import {
  LIMITS,
  type Message,
  type MessagesResponse,
  type RoomsResponse,
  type RoomSummary,
  type UserSummary,
  type UsersResponse,
} from "../protocol";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: "same-origin", signal: signal ?? null });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new HttpError(0, "The server is unreachable");
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { detail?: unknown };
    throw new HttpError(res.status, typeof body.detail === "string" ? body.detail : `Request failed (${res.status})`);
  }
  return (await res.json()) as T;
}

export interface DirectoryEntry {
  name: string;
  joined: boolean;
}

export interface PageQuery {
  before?: number;
  after?: number;
  limit?: number;
}

export const api = {
  rooms: async (): Promise<RoomSummary[]> => (await getJson<RoomsResponse>("/api/rooms")).rooms,
  directory: async (signal?: AbortSignal): Promise<DirectoryEntry[]> =>
    (await getJson<{ rooms: DirectoryEntry[] }>("/api/rooms?directory=1", signal)).rooms,
  users: async (): Promise<UserSummary[]> => (await getJson<UsersResponse>("/api/users")).users,
  members: async (room: string, signal?: AbortSignal): Promise<string[]> =>
    (await getJson<{ members: string[] }>(`/api/rooms/${encodeURIComponent(room)}/members`, signal)).members,
  messages: async (room: string, query: PageQuery = {}): Promise<Message[]> => {
    const params = new URLSearchParams({ room, limit: String(query.limit ?? LIMITS.historyDefault) });
    if (query.before !== undefined) params.set("before", String(query.before));
    if (query.after !== undefined) params.set("after", String(query.after));
    return (await getJson<MessagesResponse>(`/api/messages?${params}`)).messages;
  },
};
