// GET /metrics (SPEC.md "Integrations"): with METRICS_TOKEN set, that Bearer token is required; without it,
// only loopback clients are answered (the client address the factory resolved, so a request relayed by a
// trusted proxy counts as where it came from, not as the proxy's loopback connection).
import { timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import { getRuntime } from "../runtime";
import { CLIENT_IP_HEADER, json } from "./respond";

const isLoopback = (address: string): boolean => {
  const a = address.replace(/^::ffff:/i, "");
  return a === "::1" || (isIP(a) === 4 && a.startsWith("127."));
};

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** null when `req` may read the metrics, else the refusal */
function refusal(req: Request, token: string | undefined): Response | null {
  if (token !== undefined) {
    const given = /^Bearer (.+)$/i.exec(req.headers.get("authorization") ?? "")?.[1] ?? "";
    if (sameSecret(given, token)) return null;
    return json(
      { detail: "GET /metrics needs the METRICS_TOKEN as a Bearer token" },
      { status: 401, headers: { "www-authenticate": 'Bearer realm="metrics"' } },
    );
  }
  if (isLoopback(req.headers.get(CLIENT_IP_HEADER) ?? "")) return null;
  return json(
    { detail: "GET /metrics answers loopback clients only; set METRICS_TOKEN to scrape it from elsewhere" },
    { status: 403 },
  );
}

export async function metrics(req: Request): Promise<Response> {
  const { config, metrics: m } = getRuntime();
  const refused = refusal(req, config.METRICS_TOKEN);
  if (refused) return refused;
  return new Response(await m.registry.metrics(), {
    headers: { "content-type": m.registry.contentType, "cache-control": "no-store" },
  });
}
