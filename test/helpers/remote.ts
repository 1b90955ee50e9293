// Clients for a server reached only by URL (a child process from server-process.ts, or a TestServer whose
// URL changes across restarts): register + login over HTTP, socket.io sockets, full REST paging.
import { io as ioClient } from "socket.io-client";
import { LIMITS, type Message, type MessagesResponse, type SocketAuth } from "@/lib/protocol";
import type { TestSocket } from "./test-server";

export const TEST_PASSWORD = "correct horse battery";

async function postJson(url: string, pathname: string, body: unknown): Promise<Response> {
  return fetch(url + pathname, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** Registers `username` if needed (a 400 "already exists" is fine) and logs in: the bearer token. */
export async function registerAndLogin(url: string, username: string, password = TEST_PASSWORD): Promise<string> {
  const reg = await postJson(url, "/register", { username, password });
  if (reg.status !== 200 && reg.status !== 400) throw new Error(`register ${username}: ${reg.status}`);
  await reg.body?.cancel();
  const res = await postJson(url, "/login", { username, password });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** A socket.io client over the websocket transport, without automatic reconnection (tests drive it). */
export function connectSocket(url: string, auth: SocketAuth, opts: { autoConnect?: boolean } = {}): TestSocket {
  return ioClient(url, {
    auth,
    transports: ["websocket"],
    reconnection: false,
    autoConnect: opts.autoConnect ?? true,
    // every socket its own connection (socket.io would otherwise multiplex sockets to one URL)
    forceNew: true,
  });
}

/** One page of GET /api/messages (throws unless 200). */
export async function fetchPage(
  url: string,
  token: string,
  query: { after?: number; before?: number; limit?: number },
): Promise<Message[]> {
  const qs = new URLSearchParams(
    Object.entries(query)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  );
  const res = await fetch(`${url}/api/messages?${qs.toString()}`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET /api/messages?${qs.toString()}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as MessagesResponse).messages;
}

/**
 * Every message after `after`, paging `?after=…&limit=500` until a short page; throws if a page is not
 * strictly increasing or does not continue after the previous one.
 */
export async function fetchAllAfter(url: string, token: string, after = 0): Promise<Message[]> {
  const all: Message[] = [];
  for (let cursor = after; ;) {
    const page = await fetchPage(url, token, { after: cursor, limit: LIMITS.pageMax });
    let prev = cursor;
    for (const m of page) {
      if (m.id <= prev) throw new Error(`page after=${cursor} is not strictly increasing past ${prev}: ${m.id}`);
      prev = m.id;
    }
    all.push(...page);
    if (page.length < LIMITS.pageMax) return all;
    cursor = prev;
  }
}
