import { json } from "@/lib/http/respond";
import { getRuntime } from "@/lib/runtime";

export const dynamic = "force-dynamic";
const startedAt = Date.now();

export async function GET(): Promise<Response> {
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
