// Serves the route table (lib/http/routes.ts) from node:http without Next: the tests and the bench run the
// real handlers over real HTTP with no build. Anything not in the table is a 404.
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendResponse, toRequest } from "../http/fetch-adapter";
import { findRoute, type Route } from "../http/routes";

export function routeListener(routes: readonly Route[], onError: (err: unknown) => void) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const found = findRoute(routes, req.method, (req.url ?? "/").split("?")[0] ?? "/");
    if (!found) {
      res.writeHead(404).end();
      return;
    }
    const ctx = { params: Promise.resolve(found.params) };
    Promise.resolve()
      .then(() => found.handler(toRequest(req, `http://${req.headers.host}`), ctx))
      .then((response) => sendResponse(res, response))
      .catch((err: unknown) => {
        onError(err);
        if (!res.headersSent) res.writeHead(500).end();
      });
  };
}
