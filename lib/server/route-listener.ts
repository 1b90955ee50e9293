// Serves the route table (lib/http/routes.ts) from node:http: the whole table without Next (tests, bench), and
// under `npm start` every route but the two Next serves (NEXT_ROUTE_PATHS), in front of Next's handler.
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendResponse, toRequest } from "../http/fetch-adapter";
import { json } from "../http/respond";
import { NEXT_ROUTE_PATHS, routesAt, type Route } from "../http/routes";

/** Answers a request for one of `routes`' paths and returns true; returns false for any other path. */
export type RouteDispatch = (req: IncomingMessage, res: ServerResponse) => boolean;

/** What the factory needs of a prepared Next app's request handler. */
export type NextHandle = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** An error answered here, before or after a handler, as every other is: respond.ts' `{"detail": …}` */
function sendDetail(res: ServerResponse, status: number, detail: string, headers: Record<string, string> = {}) {
  return sendResponse(res, json({ detail }, { status, headers }));
}

export function routeDispatcher(routes: readonly Route[], onError: (err: unknown) => void): RouteDispatch {
  return (req, res) => {
    const pathname = (req.url ?? "/").split("?")[0] ?? "/";
    const here = routesAt(routes, pathname);
    if (here.length === 0) return false;
    const head = req.method === "HEAD";
    // HEAD is GET without the body, as Next answers it
    const found = here.find((m) => m.route.method === (head ? "GET" : req.method));
    if (!found) {
      const methods = here.map((m) => m.route.method);
      const allow = [...methods, ...(methods.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
      if (req.method === "OPTIONS") res.writeHead(204, { allow }).end();
      else {
        const detail = `${req.method ?? "this method"} is not allowed here; allowed: ${allow}`;
        sendDetail(res, 405, detail, { allow }).catch(onError);
      }
      return true;
    }
    const ctx = { params: Promise.resolve(found.params) };
    Promise.resolve()
      .then(() => found.route.handler(toRequest(req, `http://${req.headers.host}`), ctx))
      .then((response) => sendResponse(res, response, head))
      .catch((err: unknown) => {
        // a client that went away mid-download is not the server's failure
        if (!res.destroyed) onError(err);
        if (!res.headersSent) return sendDetail(res, 500, "Internal server error");
        res.destroy();
      })
      .catch(onError);
    return true;
  };
}

/** The table alone: anything not in it is a 404. */
export function routeListener(routes: readonly Route[], onError: (err: unknown) => void) {
  const dispatch = routeDispatcher(routes, onError);
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (!dispatch(req, res)) sendDetail(res, 404, "Not found").catch(onError);
  };
}

/**
 * Next behind the route table: the table's routes are answered directly (Next's router cost a REST call
 * milliseconds of its p99: docs/BENCHMARKS.md), the rest (pages, register and login) by Next.
 */
export function nextListener(next: NextHandle, routes: readonly Route[], onError: (err: unknown) => void) {
  const direct = routeDispatcher(
    routes.filter((r) => !NEXT_ROUTE_PATHS.has(r.pattern)),
    onError,
  );
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (direct(req, res)) return;
    next(req, res)
      .catch((err: unknown) => {
        onError(err);
        // the same answer as a failed route's; a response already under way is cut, not left hanging
        if (!res.headersSent) return sendDetail(res, 500, "Internal server error");
        res.destroy();
      })
      .catch(onError);
  };
}
