// Web Push over HTTP: the server's VAPID key, and a browser's subscription added or removed.
import { pushSubscriptionSchema, pushUnsubscribeSchema } from "../protocol";
import { getRuntime } from "../runtime";
import { assertSameOrigin } from "./guard";
import { json, readJson, route } from "./respond";
import { requireIdentity } from "./session";

/** GET /api/push/key → {publicKey}: what PushManager.subscribe takes as applicationServerKey */
export const pushKey = route(async (req) => {
  const { services } = getRuntime();
  await requireIdentity(req, services.auth);
  return json({ publicKey: await services.push.publicKey() });
});

/** POST /api/push/subscriptions with a PushSubscription's JSON → 201 */
export const subscribePush = route(async (req) => {
  assertSameOrigin(req);
  const { services } = getRuntime();
  const me = await requireIdentity(req, services.auth);
  const input = await readJson(req, pushSubscriptionSchema);
  await services.push.subscribe(me, input);
  return json({ endpoint: input.endpoint }, { status: 201 });
});

/** DELETE /api/push/subscriptions {endpoint} → 200 (404 when the user has none there) */
export const unsubscribePush = route(async (req) => {
  assertSameOrigin(req);
  const { services } = getRuntime();
  const me = await requireIdentity(req, services.auth);
  const { endpoint } = await readJson(req, pushUnsubscribeSchema);
  await services.push.unsubscribe(me, endpoint);
  return json({ endpoint });
});
