// The app's route handlers (app/api/**/route.ts) served from a plain node:http server, without Next: the
// integration tests and the benchmark run the real handlers over real HTTP with no build. The seed's paths
// are mapped as server.ts maps them (legacyRoute) and the client address is set as server.ts sets it.
import type { IncomingMessage, ServerResponse } from "node:http";
import { GET as health } from "@/app/api/health/route";
import { POST as login } from "@/app/api/login/route";
import { POST as logout } from "@/app/api/logout/route";
import { GET as messages } from "@/app/api/messages/route";
import { GET as members } from "@/app/api/rooms/[room]/members/route";
import { GET as rooms } from "@/app/api/rooms/route";
import { POST as register } from "@/app/api/register/route";
import { GET as status } from "@/app/api/status/route";
import { GET as users } from "@/app/api/users/route";
import { applyProxyHeaders, type TrustedProxies } from "@/lib/http/client-address";
import { legacyRoute } from "@/lib/http/legacy-routes";

export type RouteHandler = (req: Request) => Response | Promise<Response>;

// Next's file routes for the handlers
const ROUTES: Record<string, RouteHandler> = {
  "GET /api/status": status,
  "GET /api/health": health,
  "POST /api/register": register,
  "POST /api/login": login,
  "POST /api/logout": logout,
  "GET /api/messages": messages,
  "GET /api/rooms": rooms,
  "GET /api/users": users,
};

function routeFor(method: string | undefined, pathname: string): RouteHandler | undefined {
  // the one dynamic route: /api/rooms/<room>/members
  const room = method === "GET" ? /^\/api\/rooms\/([^/]+)\/members$/.exec(pathname)?.[1] : undefined;
  if (room !== undefined) return (request) => members(request, { params: Promise.resolve({ room }) });
  return ROUTES[`${method} ${pathname}`];
}

export async function toRequest(req: IncomingMessage, base: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) v.forEach((x) => headers.append(k, x));
    else if (v !== undefined) headers.set(k, v);
  }
  const body = chunks.length && req.method !== "GET" && req.method !== "HEAD" ? Buffer.concat(chunks) : undefined;
  return new Request(new URL(req.url ?? "/", base), { method: req.method ?? "GET", headers, body });
}

export async function sendResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((v, k) => {
    headers[k] = k === "set-cookie" ? response.headers.getSetCookie() : v;
  });
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** A node:http request listener serving the route handlers; 404 for anything else. */
export function handleApiRequest(
  onError: (err: unknown) => void = () => undefined,
  trustedProxies: TrustedProxies = [],
) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    applyProxyHeaders(req, trustedProxies);
    req.url = legacyRoute(req.method, req.url, req.headers.accept) ?? req.url;
    const handler = routeFor(req.method, (req.url ?? "/").split("?")[0] ?? "/");
    if (!handler) {
      res.writeHead(404).end();
      return;
    }
    toRequest(req, `http://${req.headers.host}`)
      .then(handler)
      .then((response) => sendResponse(res, response))
      .catch((err: unknown) => {
        onError(err);
        if (!res.headersSent) res.writeHead(500).end();
      });
  };
}
