// GET / PUT /api/me/notifications: the signed-in user's notification level and per-room overrides.
import { notificationSettingsSchema, type NotificationSettings } from "../protocol";
import { getRuntime } from "../runtime";
import { assertSameOrigin } from "./guard";
import { json, readJson, route } from "./respond";
import { requireIdentity } from "./session";

export const notificationSettings = route(async (req) => {
  const { services } = getRuntime();
  const me = await requireIdentity(req, services.auth);
  const body: NotificationSettings = await services.notifications.get(me);
  return json(body);
});

export const putNotificationSettings = route(async (req) => {
  assertSameOrigin(req);
  const { services } = getRuntime();
  const me = await requireIdentity(req, services.auth);
  const input = await readJson(req, notificationSettingsSchema);
  const body: NotificationSettings = await services.notifications.put(me, input);
  return json(body);
});
