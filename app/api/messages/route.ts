// GET /api/messages?room=<name>&after|before=<id>&limit=<n>: history pages of a room the user may read, ascending.
import { json, parseOrThrow, route } from "@/lib/http/respond";
import { requireIdentity } from "@/lib/http/session";
import { messagesQuerySchema, type MessagesResponse } from "@/lib/protocol";
import { getRuntime } from "@/lib/runtime";

export const dynamic = "force-dynamic";

export const GET = route(async (req) => {
  const { services } = getRuntime();
  const me = await requireIdentity(req, services.auth);
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const query = parseOrThrow(messagesQuerySchema, params);
  const body: MessagesResponse = { messages: await services.messages.page(me, query) };
  return json(body);
});
