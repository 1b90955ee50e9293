// POST /logout: revokes the session (Bearer or cookie); its sockets are closed by the realtime layer.
import { assertSameOrigin } from "@/lib/http/guard";
import { json, route } from "@/lib/http/respond";
import { clearedSessionCookies, requestToken } from "@/lib/http/session";
import { AppError } from "@/lib/errors";
import { getRuntime } from "@/lib/runtime";

export const POST = route(async (req) => {
  assertSameOrigin(req);
  const token = requestToken(req);
  if (!token || !(await getRuntime().services.auth.logout(token))) {
    throw new AppError("unauthorized", "Missing, invalid or expired token");
  }
  const headers = new Headers();
  for (const cookie of clearedSessionCookies(req)) headers.append("set-cookie", cookie);
  return json({ message: "Logged out" }, { headers });
});
