// The signed-in user's profile: GET / PATCH /api/me, POST / DELETE /api/me/avatar, and the avatars
// themselves (GET /api/avatars/<id>, to signed-in users: cached for ever, as each upload gets a new id).
import { LIMITS, profilePatchSchema, type MeResponse } from "../protocol";
import { getRuntime } from "../runtime";
import { assertSameOrigin } from "./guard";
import { readFilePart } from "./multipart";
import { json, readJson, route } from "./respond";
import { requireIdentity } from "./session";
import type { RouteContext } from "./routes";

export const me = route(async (req) => {
  const { services } = getRuntime();
  const user = await requireIdentity(req, services.auth);
  const body: MeResponse = await services.profiles.me(user);
  return json(body);
});

export const patchMe = route(async (req) => {
  assertSameOrigin(req);
  const { services } = getRuntime();
  const user = await requireIdentity(req, services.auth);
  const patch = await readJson(req, profilePatchSchema);
  const body: MeResponse = await services.profiles.update(user, patch);
  return json(body);
});

export const uploadAvatar = route(async (req) => {
  assertSameOrigin(req);
  const { services, config } = getRuntime();
  const user = await requireIdentity(req, services.auth);
  const file = await readFilePart(req, "file", config.AVATAR_MAX_BYTES);
  return json({ avatarUrl: await services.profiles.setAvatar(user, file.bytes) });
});

export const deleteAvatar = route(async (req) => {
  assertSameOrigin(req);
  const { services } = getRuntime();
  const user = await requireIdentity(req, services.auth);
  await services.profiles.removeAvatar(user);
  return json({ avatarUrl: null });
});

export const avatar = route(async (req: Request, ctx: RouteContext) => {
  const { services } = getRuntime();
  await requireIdentity(req, services.auth);
  const { id = "" } = await ctx.params;
  const size = new URL(req.url).searchParams.get("size") === String(LIMITS.avatarSmall) ? "small" : "large";
  const bytes = await services.profiles.avatarImage(id, size);
  return new Response(Buffer.from(bytes), {
    headers: {
      "content-type": "image/webp",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
      // private: only signed-in users may fetch it; immutable: a new upload is a new id
      "cache-control": "private, max-age=31536000, immutable",
    },
  });
});
