// /api/admin/*: every handler authenticates, and the admin service refuses non-admins (403) before anything
// else, reading, listing or changing. Invite and reset links are made on the origin the admin's request came to.
import { z } from "zod";
import {
  adminSettingsSchema,
  createInviteSchema,
  type AdminSettingsResponse,
  type InviteCreated,
  type PasswordResetCreated,
} from "../protocol";
import { getRuntime } from "../runtime";
import { assertSameOrigin } from "./guard";
import { decodeParam, json, parseOrThrow, readJson, route } from "./respond";
import { requireIdentity } from "./session";
import type { RouteContext } from "./routes";

const inviteIdSchema = z.coerce.number({ error: "invite id must be a number" }).int().positive("no such invite");

async function admin(req: Request) {
  const { services } = getRuntime();
  const me = await requireIdentity(req, services.auth);
  await services.admin.requireAdmin(me);
  return { me, service: services.admin };
}

/** the same checks for every state-changing admin request: origin, session, admin */
async function adminChange(req: Request) {
  assertSameOrigin(req);
  return admin(req);
}

/**
 * The origin the admin reached the server on (links are for people who reach it the same way): the Host header
 * (Next rewrites req.url to its own hostname) and the scheme a trusted proxy reported (lib/http/client-address).
 */
function requestOrigin(req: Request): string {
  const url = new URL(req.url);
  const scheme = req.headers.get("x-forwarded-proto") ?? url.protocol.slice(0, -1);
  return `${scheme}://${req.headers.get("host") ?? url.host}`;
}

async function username(ctx: RouteContext): Promise<string> {
  return decodeParam((await ctx.params).username ?? "", "username");
}

export const adminUsers = route(async (req) => {
  const { me, service } = await admin(req);
  const q = new URL(req.url).searchParams.get("q") ?? "";
  return json({ users: await service.listUsers(me, q.slice(0, 64)) });
});

export const deactivateUser = route(async (req, ctx: RouteContext) => {
  const { me, service } = await adminChange(req);
  return json({ user: await service.deactivate(me, await username(ctx)) });
});

export const reactivateUser = route(async (req, ctx: RouteContext) => {
  const { me, service } = await adminChange(req);
  return json({ user: await service.reactivate(me, await username(ctx)) });
});

export const grantAdmin = route(async (req, ctx: RouteContext) => {
  const { me, service } = await adminChange(req);
  return json({ user: await service.setAdmin(me, await username(ctx), true) });
});

export const revokeAdmin = route(async (req, ctx: RouteContext) => {
  const { me, service } = await adminChange(req);
  return json({ user: await service.setAdmin(me, await username(ctx), false) });
});

export const resetPassword = route(async (req, ctx: RouteContext) => {
  const { me, service } = await adminChange(req);
  const body: PasswordResetCreated = await service.createPasswordReset(me, await username(ctx), requestOrigin(req));
  return json(body, { status: 201 });
});

export const adminInvites = route(async (req) => {
  const { me, service } = await admin(req);
  return json({ invites: await service.listInvites(me) });
});

export const createInvite = route(async (req) => {
  const { me, service } = await adminChange(req);
  // an empty body means every default
  const input =
    req.headers.get("content-length") === "0"
      ? parseOrThrow(createInviteSchema, {})
      : await readJson(req, createInviteSchema);
  const body: InviteCreated = await service.createInvite(me, input, requestOrigin(req));
  return json(body, { status: 201 });
});

export const revokeInvite = route(async (req, ctx: RouteContext) => {
  const { me, service } = await adminChange(req);
  const id = parseOrThrow(inviteIdSchema, (await ctx.params).id);
  await service.revokeInvite(me, id);
  return json({ message: "Invite revoked" });
});

export const adminSettings = route(async (req) => {
  const { me, service } = await admin(req);
  const body: AdminSettingsResponse = await service.settings(me);
  return json(body);
});

export const putAdminSettings = route(async (req) => {
  const { me, service } = await adminChange(req);
  const input = await readJson(req, adminSettingsSchema);
  const body: AdminSettingsResponse = await service.setRegistration(me, input.registration);
  return json(body);
});

export const auditLog = route(async (req) => {
  const { me, service } = await admin(req);
  return json({ entries: await service.auditLog(me) });
});
