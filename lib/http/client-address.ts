// Who is asking, and over what. A reverse proxy listed in TRUST_PROXY says so in X-Forwarded-For and
// X-Forwarded-Proto; from anyone else (a client reaching the port directly, say) those headers are claims
// anybody can make: the TCP peer is the client, and its X-Forwarded-Proto is dropped before anything reads it.
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import { CLIENT_IP_HEADER } from "./respond";

/** TRUST_PROXY's entries: IP addresses, or "loopback" for 127.0.0.0/8 and ::1 */
export type TrustedProxies = readonly string[];

const plain = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");

function trusted(address: string | undefined, proxies: TrustedProxies): boolean {
  if (!address || proxies.length === 0) return false;
  const a = plain(address);
  if (proxies.includes("loopback") && (a === "::1" || (isIP(a) === 4 && a.startsWith("127.")))) return true;
  return proxies.some((p) => p !== "loopback" && plain(p) === a);
}

const listOf = (header: string | string[] | undefined): string[] =>
  (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);

/**
 * The client's address: the TCP peer, unless that is a trusted proxy; then X-Forwarded-For read from the
 * right (each proxy appends the address it saw), skipping trusted proxies, up to the first one that is not.
 */
export function clientAddress(req: IncomingMessage, proxies: TrustedProxies): string {
  const peer = req.socket.remoteAddress;
  if (!trusted(peer, proxies)) return peer ?? "unknown";
  const hops = listOf(req.headers["x-forwarded-for"]);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (!trusted(hop, proxies)) return hop;
  }
  return hops[0] ?? peer ?? "unknown";
}

/** The host the client asked for: the nearest trusted proxy's X-Forwarded-Host, else the Host header. */
export function requestHost(req: IncomingMessage, proxies: TrustedProxies): string | undefined {
  const forwarded = trusted(req.socket.remoteAddress, proxies)
    ? listOf(req.headers["x-forwarded-host"]).at(-1)
    : undefined;
  return forwarded ?? req.headers.host;
}

/**
 * Before routing: the client's address for the route handlers; X-Forwarded-Proto and X-Forwarded-Host only
 * from a trusted proxy (the nearest one's word), dropped from anyone else.
 */
export function applyProxyHeaders(req: IncomingMessage, proxies: TrustedProxies): void {
  req.headers[CLIENT_IP_HEADER] = clientAddress(req, proxies);
  const isTrusted = trusted(req.socket.remoteAddress, proxies);
  for (const name of ["x-forwarded-proto", "x-forwarded-host"] as const) {
    const value = listOf(req.headers[name]).at(-1);
    if (isTrusted && value) req.headers[name] = value;
    else delete req.headers[name];
  }
}
