// GET /api/rooms/<name>/members: who is in a room the user may read.
import { json, route } from "@/lib/http/respond";
import { requireIdentity } from "@/lib/http/session";
import { getRuntime } from "@/lib/runtime";

export const dynamic = "force-dynamic";

export const GET = route(async (req: Request, ctx: { params: Promise<{ room: string }> }) => {
  const { services } = getRuntime();
  const me = await requireIdentity(req, services.auth);
  const { room } = await ctx.params;
  return json({ members: await services.rooms.members(me, decodeURIComponent(room)) });
});
