// Who is asking, and over what. A reverse proxy listed in TRUST_PROXY says so in X-Forwarded-For and
// X-Forwarded-Proto; from anyone else (a client reaching the port directly, say) those headers are claims
// anybody can make: the TCP peer is the client, and its X-Forwarded-Proto is dropped before anything reads it.
// X-Forwarded-For is read by `proxy-addr` (Express's), which also understands CIDR ranges and IPv4-mapped
// IPv6 peers.
import type { IncomingMessage } from "node:http";
import proxyaddr from "proxy-addr";
import { CLIENT_IP_HEADER } from "./respond";

/** TRUST_PROXY's entries: addresses, CIDR ranges, or proxy-addr's names ("loopback", "uniquelocal", …) */
export type TrustedProxies = readonly string[];

type Trust = (address: string, hop: number) => boolean;
const compiled = new WeakMap<TrustedProxies, Trust>();
const trustNone: Trust = () => false;

/** The list compiled once (config hands the same array to every request). */
function trustOf(proxies: TrustedProxies): Trust {
  let trust = compiled.get(proxies);
  if (!trust) {
    trust = proxies.length === 0 ? trustNone : proxyaddr.compile([...proxies]);
    compiled.set(proxies, trust);
  }
  return trust;
}

const peerTrusted = (req: IncomingMessage, proxies: TrustedProxies): boolean => {
  const peer = req.socket.remoteAddress;
  return peer !== undefined && trustOf(proxies)(peer, 0);
};

const lastOf = (header: string | string[] | undefined): string | undefined =>
  (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean)
    .at(-1);

/**
 * The client's address: the TCP peer, unless that is a trusted proxy; then X-Forwarded-For read from the
 * right (each proxy appends the address it saw), skipping trusted proxies, up to the first one that is not.
 */
export function clientAddress(req: IncomingMessage, proxies: TrustedProxies): string {
  if (req.socket.remoteAddress === undefined) return "unknown"; // a socket already gone
  return proxyaddr(req, trustOf(proxies));
}

/** The host the client asked for: the nearest trusted proxy's X-Forwarded-Host, else the Host header. */
export function requestHost(req: IncomingMessage, proxies: TrustedProxies): string | undefined {
  const forwarded = peerTrusted(req, proxies) ? lastOf(req.headers["x-forwarded-host"]) : undefined;
  return forwarded ?? req.headers.host;
}

/**
 * Before routing: the client's address for the route handlers; X-Forwarded-Proto and X-Forwarded-Host only
 * from a trusted proxy (the nearest one's word), dropped from anyone else.
 */
export function applyProxyHeaders(req: IncomingMessage, proxies: TrustedProxies): void {
  req.headers[CLIENT_IP_HEADER] = clientAddress(req, proxies);
  const isTrusted = peerTrusted(req, proxies);
  for (const name of ["x-forwarded-proto", "x-forwarded-host"] as const) {
    const value = lastOf(req.headers[name]);
    if (isTrusted && value) req.headers[name] = value;
    else delete req.headers[name];
  }
}
