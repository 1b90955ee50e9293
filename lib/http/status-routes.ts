// GET / for non-browser clients (legacy-routes.ts maps it to /api/status): the seed's answer; GET /api/health
// (liveness) also asks the database; GET /api/health/ready (readiness) asks whether it is migrated and takes
// writes, so a load balancer or orchestrator sends no traffic to a server that would fail every send.
import { getRuntime } from "../runtime";
import { json } from "./respond";

const startedAt = Date.now();

export function status(): Response {
  return json({ status: "Server is running" });
}

export async function health(): Promise<Response> {
  const ok = await getRuntime().services.healthy();
  return json(
    {
      status: ok ? "Server is running" : "Database unreachable",
      db: ok ? "ok" : "down",
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    },
    { status: ok ? 200 : 503 },
  );
}

export async function ready(): Promise<Response> {
  const reason = await getRuntime().services.notReadyReason();
  return json(reason === null ? { status: "ready" } : { status: "not ready", reason }, { status: reason ? 503 : 200 });
}
