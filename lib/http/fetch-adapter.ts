// node:http ⇄ fetch: the route handlers take a web Request and return a Response, as Next calls them; this
// lets a plain node:http server (no Next) call them the same way. Bodies stream both ways, as under Next: an
// upload is parsed while it arrives, and a file is sent without being read whole.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";

export function toRequest(req: IncomingMessage, base: string): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) v.forEach((x) => headers.append(k, x));
    else if (v !== undefined) headers.set(k, v);
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  const body = hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined;
  return new Request(new URL(req.url ?? "/", base), { method, headers, body, ...(body ? { duplex: "half" } : {}) });
}

/** Writes `response` to `res`; `head`: the headers only, and a body (a file's stream) is not read at all. */
export async function sendResponse(res: ServerResponse, response: Response, head = false): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((v, k) => {
    headers[k] = k === "set-cookie" ? response.headers.getSetCookie() : v;
  });
  if (head || !response.body) {
    await response.body?.cancel();
    return void res.writeHead(response.status, headers).end();
  }
  // a JSON reply is one string in memory already (respond.ts json()): written whole with its length, not piped
  if (response.headers.get("content-type")?.startsWith("application/json")) {
    const body = Buffer.from(await response.arrayBuffer());
    return void res.writeHead(response.status, { ...headers, "content-length": String(body.length) }).end(body);
  }
  res.writeHead(response.status, headers);
  await pipeline(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), res);
}
