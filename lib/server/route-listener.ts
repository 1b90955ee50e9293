// Serves the route table (lib/http/routes.ts) from node:http: the whole table without Next (tests, bench), and
// under `npm start` every route but the two Next serves (NEXT_ROUTE_PATHS), in front of Next's router.
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendResponse, toRequest } from "../http/fetch-adapter";
import { findRoute, routeMethods, type Route } from "../http/routes";

/** Answers a request for one of `routes`' paths and returns true; returns false for any other path. */
export type RouteDispatch = (req: IncomingMessage, res: ServerResponse) => boolean;

export function routeDispatcher(routes: readonly Route[], onError: (err: unknown) => void): RouteDispatch {
  return (req, res) => {
    const pathname = (req.url ?? "/").split("?")[0] ?? "/";
    // HEAD is GET without the body (node:http drops it), as Next answers it
    const found = findRoute(routes, req.method === "HEAD" ? "GET" : req.method, pathname);
    if (!found) {
      const allowed = routeMethods(routes, pathname);
      if (allowed.length === 0) return false;
      res.writeHead(405, { allow: allowed.join(", ") }).end();
      return true;
    }
    const ctx = { params: Promise.resolve(found.params) };
    Promise.resolve()
      .then(() => found.handler(toRequest(req, `http://${req.headers.host}`), ctx))
      .then((response) => sendResponse(res, response))
      .catch((err: unknown) => {
        onError(err);
        if (!res.headersSent) res.writeHead(500).end();
      });
    return true;
  };
}

/** The table alone: anything not in it is a 404. */
export function routeListener(routes: readonly Route[], onError: (err: unknown) => void) {
  const dispatch = routeDispatcher(routes, onError);
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (!dispatch(req, res)) res.writeHead(404).end();
  };
}
