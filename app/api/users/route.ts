// GET /api/users: everyone, with presence and last-seen time.
import { json, route } from "@/lib/http/respond";
import { requireIdentity } from "@/lib/http/session";
import type { UsersResponse } from "@/lib/protocol";
import { getRuntime } from "@/lib/runtime";

export const dynamic = "force-dynamic";

export const GET = route(async (req) => {
  const { services } = getRuntime();
  await requireIdentity(req, services.auth);
  const body: UsersResponse = { users: await services.presence.list() };
  return json(body);
});
