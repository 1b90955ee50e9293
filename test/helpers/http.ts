// Small HTTP helpers for integration tests against a TestServer.
import { request as httpRequest } from "node:http";
import type { Message } from "@/lib/protocol";

/** A response body as JSON, typed by the caller. */
export async function body<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** GET /api/messages with a query string and a bearer token (or extra headers). */
export function getMessages(
  url: string,
  query: Record<string, string | number>,
  auth: { token?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  const headers: Record<string, string> = { ...auth.headers };
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  return fetch(`${url}/api/messages${qs ? `?${qs}` : ""}`, { headers });
}

/** The ids of a /api/messages page (asserting a 200 by throwing otherwise). */
export async function pageIds(url: string, query: Record<string, string | number>, token: string): Promise<number[]> {
  const res = await getMessages(url, query, { token });
  if (res.status !== 200) throw new Error(`GET /api/messages ${res.status}: ${await res.text()}`);
  return (await body<{ messages: Message[] }>(res)).messages.map((m) => m.id);
}

/** The `name=value` pair of a Set-Cookie header, for sending back as a Cookie header. */
export function cookiePair(setCookie: string): string {
  return setCookie.split(";")[0]!.trim();
}

/**
 * A raw POST through node:http, which (unlike fetch) lets a test send a body without Content-Length
 * (chunked) or a Content-Length that lies.
 */
export function rawPost(
  url: string,
  pathname: string,
  chunks: string[],
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      new URL(pathname, url),
      { method: "POST", headers: { "content-type": "application/json", ...headers } },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (c: Buffer) => parts.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString("utf8") }));
      },
    );
    req.on("error", reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}
