// Personal access tokens over HTTP: POST/GET /api/me/tokens, DELETE /api/me/tokens/<id>.
import { z } from "zod";
import { apiTokensResponseSchema, createApiTokenSchema, type ApiTokensResponse } from "../protocol";
import { getRuntime } from "../runtime";
import { assertSameOrigin } from "./guard";
import { json, parseOrThrow, readJson, route } from "./respond";
import { requireIdentity } from "./session";
import type { RouteContext } from "./routes";

const idParam = z.coerce.number({ error: "id must be a number" }).int().positive("id must be a token id");

/** 201 {token, id, name, createdAt}: the token is shown this once. A token cannot make another. */
export const createApiToken = route(async (req) => {
  assertSameOrigin(req);
  const { services } = getRuntime();
  const me = await requireIdentity(req, services.auth);
  const { name } = await readJson(req, createApiTokenSchema);
  return json(await services.apiTokens.create(me, name), { status: 201 });
});

export const listApiTokens = route(async (req) => {
  const { services } = getRuntime();
  const me = await requireIdentity(req, services.auth);
  const body: ApiTokensResponse = apiTokensResponseSchema.parse({ tokens: await services.apiTokens.list(me) });
  return json(body);
});

export const revokeApiToken = route(async (req, ctx: RouteContext) => {
  assertSameOrigin(req);
  const { services } = getRuntime();
  const me = await requireIdentity(req, services.auth);
  const id = parseOrThrow(idParam, (await ctx.params).id);
  await services.apiTokens.revoke(me, id);
  return json({ id });
});
