// Incoming webhooks over HTTP: managing them (/api/hooks, a signed-in member), and POST /hooks/<secret>, where
// other servers post. That path takes no session and no Origin check: the secret in the URL is the credential.
import { z } from "zod";
import { AppError } from "../errors";
import { createHookSchema, hookPayloadSchema, type CreatedHookResponse, type HooksResponse } from "../protocol";
import { getRuntime } from "../runtime";
import { assertSameOrigin } from "./guard";
import { json, parseOrThrow, readJson, readLimited, route } from "./respond";
import type { RouteContext } from "./routes";
import { requireIdentity } from "./session";

/** A hook's body: Slack's own limit on a message is 40,000 characters; a little over that, as bytes. */
export const HOOK_BODY_MAX_BYTES = 64 * 1024;
const SECRET = /^[A-Za-z0-9_-]{20,128}$/;
const idParam = z.coerce.number({ error: "id must be a number" }).int().positive("id must be a hook id");

/** The server's origin as this client reached it (the proxy's, when one is trusted: client-address.ts). */
function requestOrigin(req: Request): string {
  const url = new URL(req.url);
  const proto = req.headers.get("x-forwarded-proto") ?? url.protocol.replace(":", "");
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host") ?? url.host;
  return `${proto}://${host}`;
}

export const createHook = route(async (req) => {
  assertSameOrigin(req);
  const { services } = getRuntime();
  const me = await requireIdentity(req, services.auth);
  const input = await readJson(req, createHookSchema);
  const body: CreatedHookResponse = { hook: await services.hooks.create(me, input, requestOrigin(req)) };
  return json(body, { status: 201 });
});

export const listHooks = route(async (req) => {
  const { services } = getRuntime();
  const me = await requireIdentity(req, services.auth);
  const body: HooksResponse = { hooks: await services.hooks.list(me) };
  return json(body);
});

export const revokeHook = route(async (req, ctx: RouteContext) => {
  assertSameOrigin(req);
  const { services } = getRuntime();
  const me = await requireIdentity(req, services.auth);
  const id = parseOrThrow(idParam, (await ctx.params).id);
  await services.hooks.revoke(me, id);
  return json({ id });
});

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", `${what} must be valid JSON`);
  }
}

/**
 * A Slack-style body: JSON; or form-encoded with `payload=<JSON>`, or with the fields themselves (text=…);
 * or a JSON text sent as a form (what `curl -d '{…}'` does without a content type).
 */
export function parseHookBody(contentType: string | null, text: string): unknown {
  if (!contentType?.toLowerCase().startsWith("application/x-www-form-urlencoded") || text.trimStart().startsWith("{")) {
    return parseJson(text, "The body");
  }
  const form = new URLSearchParams(text);
  const payload = form.get("payload");
  return payload !== null ? parseJson(payload, "payload") : Object.fromEntries(form);
}

/** POST /hooks/<secret> → 200 `ok` (text/plain, as Slack answers) */
export const postToHook = route(async (req, ctx: RouteContext) => {
  const { secret = "" } = await ctx.params;
  if (!SECRET.test(secret)) throw new AppError("not_found", "No such hook (it may have been revoked)");
  const text = await readLimited(req, HOOK_BODY_MAX_BYTES, "too_large");
  const payload = parseOrThrow(hookPayloadSchema, parseHookBody(req.headers.get("content-type"), text));
  await getRuntime().services.hooks.post(secret, payload);
  return new Response("ok", { headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
});
