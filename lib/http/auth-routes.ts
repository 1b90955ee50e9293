// POST /register, /login, /logout (legacy-routes.ts maps the seed's paths onto /api/*). Login sends the token
// in the body for API clients and as an HttpOnly cookie for the web UI; logout revokes the session (Bearer or
// cookie), and the realtime layer closes its sockets.
import { AppError } from "../errors";
import { credentialsSchema, registrationSchema, type LoginResponse } from "../protocol";
import { getRuntime } from "../runtime";
import { API_TOKEN_PREFIX } from "../services/auth";
import { assertSameOrigin } from "./guard";
import { clientIp, json, readJson, route } from "./respond";
import { clearedSessionCookies, requestToken, sessionCookie } from "./session";

export const register = route(async (req) => {
  assertSameOrigin(req);
  const input = await readJson(req, registrationSchema);
  await getRuntime().services.auth.register(input, clientIp(req));
  return json({ message: "User registered successfully" });
});

export const login = route(async (req) => {
  assertSameOrigin(req);
  const credentials = await readJson(req, credentialsSchema);
  const { services, config } = getRuntime();
  const { token } = await services.auth.login(credentials, clientIp(req), req.headers.get("user-agent"));
  const body: LoginResponse = { token };
  return json(body, { headers: { "set-cookie": sessionCookie(req, token, config.SESSION_TTL) } });
});

export const logout = route(async (req) => {
  assertSameOrigin(req);
  const token = requestToken(req);
  if (token?.startsWith(API_TOKEN_PREFIX)) {
    throw new AppError("forbidden", "An API token is not a login session: revoke it with DELETE /api/me/tokens/<id>");
  }
  if (!token || !(await getRuntime().services.auth.logout(token))) {
    throw new AppError("unauthorized", "Missing, invalid or expired token");
  }
  const headers = new Headers();
  for (const cookie of clearedSessionCookies(req)) headers.append("set-cookie", cookie);
  return json({ message: "Logged out" }, { headers });
});
