// POST /login: the token in the body for API clients, and as an HttpOnly cookie for the web UI.
import { assertSameOrigin } from "@/lib/http/guard";
import { clientIp, json, readJson, route } from "@/lib/http/respond";
import { sessionCookie } from "@/lib/http/session";
import { credentialsSchema, type LoginResponse } from "@/lib/protocol";
import { getRuntime } from "@/lib/runtime";

export const POST = route(async (req) => {
  assertSameOrigin(req);
  const credentials = await readJson(req, credentialsSchema);
  const { services, config } = getRuntime();
  const { token } = await services.auth.login(credentials, clientIp(req));
  const body: LoginResponse = { token };
  return json(body, { headers: { "set-cookie": sessionCookie(req, token, config.SESSION_TTL) } });
});
