// DNS rebinding (SPEC.md "Integrations"): a page on any domain can point its name at 127.0.0.1 and then talk
// to this server as "same origin". The Host header still carries that domain, so only names the operator
// chose are served: localhost, *.localhost, the ALLOWED_HOSTS (and ALLOWED_ORIGINS') names and HOST. IP
// addresses are always accepted: they cannot be rebound.
import { isIP } from "node:net";

/** The hostname of a Host header (port and IPv6 brackets removed, lower-cased), or null when malformed. */
export function hostName(host: string): string | null {
  try {
    const { hostname } = new URL(`http://${host}`);
    return (
      hostname
        .replace(/^\[(.*)\]$/, "$1")
        .replace(/\.$/, "")
        .toLowerCase() || null
    );
  } catch {
    return null;
  }
}

/** `allowed`: lower-case names, `*.example.com` for every subdomain of example.com. */
export function isHostAllowed(host: string | undefined, allowed: readonly string[]): boolean {
  // no Host at all (HTTP/1.0, a raw client) is no browser: rebinding needs one
  if (host === undefined || host === "") return true;
  const name = hostName(host);
  if (name === null) return false;
  if (isIP(name) !== 0 || name === "localhost" || name.endsWith(".localhost")) return true;
  return allowed.some((a) => (a.startsWith("*.") ? name.endsWith(a.slice(1)) : name === a));
}

/** What the operator has named, from the config: ALLOWED_HOSTS, ALLOWED_ORIGINS' hosts, and HOST when a name. */
export function allowedHostNames(config: {
  ALLOWED_HOSTS: readonly string[];
  ALLOWED_ORIGINS: readonly string[];
  HOST: string;
}) {
  const names = new Set(config.ALLOWED_HOSTS);
  for (const origin of config.ALLOWED_ORIGINS) names.add(new URL(origin).hostname.toLowerCase());
  const own = hostName(config.HOST);
  if (own && isIP(own) === 0) names.add(own);
  return [...names];
}

export function hostRefusal(host: string): string {
  const name = hostName(host) ?? host;
  return (
    `Host "${name}" is not served here (DNS rebinding protection). If this is the server's name, add it to ` +
    `ALLOWED_HOSTS (comma-separated, e.g. ALLOWED_HOSTS=${name}) and restart.`
  );
}
