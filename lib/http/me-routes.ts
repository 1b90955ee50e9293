// The signed-in user's own account over HTTP.
import type { MeResponse } from "../protocol";
import { getRuntime } from "../runtime";
import { json, route } from "./respond";
import { requireIdentity } from "./session";

/** GET /api/me: who the session cookie or Bearer token belongs to (scripts ask: `chatterbox whoami`) */
export const me = route(async (req) => {
  const { services } = getRuntime();
  const { username } = await requireIdentity(req, services.auth);
  const body: MeResponse = { username };
  return json(body);
});
