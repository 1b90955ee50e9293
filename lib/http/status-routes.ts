// GET / for non-browser clients (legacy-routes.ts maps it to /api/status): the seed's answer; GET /api/health
// also asks the database.
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
