// The signed-in user's password and sessions: POST /api/me/password, GET /api/me/sessions,
// DELETE /api/me/sessions (every other one) and DELETE /api/me/sessions/<id>.
import { AppError } from "../errors";
import { passwordChangeSchema } from "../protocol";
import { getRuntime } from "../runtime";
import { assertSameOrigin } from "./guard";
import { clientIp, json, readJson, route } from "./respond";
import type { RouteContext } from "./routes";
import { requireIdentity } from "./session";

export const changePassword = route(async (req) => {
  assertSameOrigin(req);
  const { services } = getRuntime();
  const user = await requireIdentity(req, services.auth);
  const input = await readJson(req, passwordChangeSchema);
  return json(await services.account.changePassword(user, input, clientIp(req)));
});

export const sessions = route(async (req) => {
  const { services } = getRuntime();
  const user = await requireIdentity(req, services.auth);
  return json({ sessions: await services.account.sessions(user) });
});

export const revokeOtherSessions = route(async (req) => {
  assertSameOrigin(req);
  const { services } = getRuntime();
  const user = await requireIdentity(req, services.auth);
  return json(await services.account.revokeOtherSessions(user));
});

export const revokeSession = route(async (req: Request, ctx: RouteContext) => {
  assertSameOrigin(req);
  const { services } = getRuntime();
  const user = await requireIdentity(req, services.auth);
  const { id = "" } = await ctx.params;
  if (!/^[1-9]\d{0,15}$/.test(id)) throw new AppError("not_found", "No such session");
  await services.account.revokeSession(user, Number(id));
  return json({ revoked: 1 });
});
