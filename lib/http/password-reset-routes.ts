// POST /api/password-reset {token, password}: the page behind an admin's one-time reset link. No session:
// the token is the proof; using it ends every session of the user.
import { passwordResetSchema } from "../protocol";
import { getRuntime } from "../runtime";
import { assertSameOrigin } from "./guard";
import { clientIp, json, readJson, route } from "./respond";

export const completePasswordReset = route(async (req) => {
  assertSameOrigin(req);
  const { services } = getRuntime();
  // the same budget as registrations: each attempt costs a bcrypt hash
  await services.throttles.registration(clientIp(req));
  const { token, password } = await readJson(req, passwordResetSchema);
  await services.admin.completePasswordReset(token, password);
  return json({ message: "Password changed. Log in with the new password." });
});
