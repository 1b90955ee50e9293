// Who is asking, and over what. Behind a reverse proxy (TRUST_PROXY) the proxy's X-Forwarded-For and
// X-Forwarded-Proto say so; otherwise only the TCP peer counts, and a client's own X-Forwarded-Proto is
// dropped before anything reads it: any client could send one.
import type { IncomingMessage } from "node:http";
import { CLIENT_IP_HEADER } from "./respond";

/** The client's address: the TCP peer, or behind a trusted proxy the hop that proxy appended last. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers["x-forwarded-for"];
    const hops = (Array.isArray(forwarded) ? forwarded.join(",") : (forwarded ?? "")).split(",");
    const last = hops.map((h) => h.trim()).findLast(Boolean);
    if (last) return last;
  }
  return req.socket.remoteAddress ?? "unknown";
}

/** Before routing: the client's address for the route handlers, and X-Forwarded-Proto only from a proxy. */
export function applyProxyHeaders(req: IncomingMessage, trustProxy: boolean): void {
  req.headers[CLIENT_IP_HEADER] = clientAddress(req, trustProxy);
  if (!trustProxy) delete req.headers["x-forwarded-proto"];
}
