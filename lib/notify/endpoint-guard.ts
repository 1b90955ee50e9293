// The SSRF guard for Web Push endpoints: the server posts to a URL a user gave it, so it must be https:
// and its host must not be (or resolve to) a loopback, private, link-local or otherwise internal address,
// unless its origin is listed in PUSH_ALLOWED_ORIGINS (a self-hosted push service). Every address the
// name resolves to is checked, not just the literal; the sender checks again before each post.
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { AppError } from "../errors";

const internal = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 3],
] as const)
  internal.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [
  ["::", 127], // :: and ::1
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["64:ff9b::", 96],
] as const)
  internal.addSubnet(net, bits, "ipv6");

/** true for an address no user-given URL may reach (IPv4-mapped IPv6 checked as the IPv4 it carries) */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return internal.check(mapped[1]!, "ipv4");
  const family = isIP(address);
  if (family === 0) return true;
  return internal.check(address, family === 4 ? "ipv4" : "ipv6");
}

const refuse = (detail: string) => new AppError("invalid_input", `endpoint ${detail}`);

/** Throws a 422 AppError unless the push service at `endpoint` may be posted to. */
export async function checkPushEndpoint(endpoint: string, allowedOrigins: readonly string[]): Promise<void> {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw refuse("must be a URL");
  }
  if (url.protocol !== "https:") throw refuse("must be an https: URL");
  if (url.username || url.password) throw refuse("must not carry credentials");
  if (allowedOrigins.includes(url.origin)) return;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    throw refuse(`host ${host} does not resolve`);
  }
  if (addresses.length === 0 || addresses.some(isInternalAddress)) {
    throw refuse(`host ${host} is a loopback, private or link-local address`);
  }
}
