// GET /api/rooms: the user's rooms and DMs with unread counts; `?directory=1` lists public rooms to join.
import { json, route } from "@/lib/http/respond";
import { requireIdentity } from "@/lib/http/session";
import type { DirectoryResponse, RoomsResponse } from "@/lib/protocol";
import { getRuntime } from "@/lib/runtime";

export const dynamic = "force-dynamic";

export const GET = route(async (req) => {
  const { services } = getRuntime();
  const me = await requireIdentity(req, services.auth);
  if (new URL(req.url).searchParams.get("directory")) {
    const directory: DirectoryResponse = { rooms: await services.rooms.directory(me) };
    return json(directory);
  }
  const body: RoomsResponse = { rooms: await services.rooms.list(me) };
  return json(body);
});
