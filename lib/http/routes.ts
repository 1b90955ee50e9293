// The one HTTP route table, served by lib/server/route-listener.ts: all of it without Next (tests, bench), all
// but register and login under `npm start` (Next serves those two as app/api/*/route.ts, re-exported from here).
// Patterns use Next's file syntax: `[name]` is one path segment, passed as a param.
import {
  adminInvites,
  adminSettings,
  adminUsers,
  auditLog,
  createInvite,
  deactivateUser,
  grantAdmin,
  putAdminSettings,
  reactivateUser,
  resetPassword,
  revokeAdmin,
  revokeInvite,
} from "./admin-routes";
import { login, logout, register } from "./auth-routes";
import { changes, messages, roomMembers, rooms, search, users } from "./chat-routes";
import { serveFile, serveThumbnail, upload } from "./file-routes";
import { addReaction, deleteMessage, editMessage, removeReaction } from "./message-action-routes";
import { metrics } from "./metrics-routes";
import { notificationSettings, putNotificationSettings } from "./notification-routes";
import { completePasswordReset } from "./password-reset-routes";
import { changePassword, revokeOtherSessions, revokeSession, sessions } from "./account-routes";
import { avatar, deleteAvatar, me, patchMe, uploadAvatar } from "./profile-routes";
import { pushKey, subscribePush, unsubscribePush } from "./push-routes";
import { createHook, listHooks, postToHook, revokeHook } from "./hook-routes";
import { health, ready, status } from "./status-routes";
import { createApiToken, listApiTokens, revokeApiToken } from "./token-routes";

export {
  adminInvites,
  adminSettings,
  adminUsers,
  auditLog,
  completePasswordReset,
  createInvite,
  deactivateUser,
  grantAdmin,
  putAdminSettings,
  reactivateUser,
  resetPassword,
  revokeAdmin,
  revokeInvite,
  avatar,
  changePassword,
  deleteAvatar,
  me,
  patchMe,
  revokeOtherSessions,
  revokeSession,
  sessions,
  uploadAvatar,
  addReaction,
  createApiToken,
  createHook,
  listApiTokens,
  listHooks,
  postToHook,
  ready,
  revokeApiToken,
  revokeHook,
  changes,
  deleteMessage,
  editMessage,
  health,
  login,
  logout,
  messages,
  metrics,
  notificationSettings,
  putNotificationSettings,
  pushKey,
  register,
  removeReaction,
  roomMembers,
  rooms,
  search,
  serveFile,
  serveThumbnail,
  status,
  subscribePush,
  unsubscribePush,
  upload,
  users,
};

export interface RouteContext {
  params: Promise<Record<string, string>>;
}
export type RouteHandler = (req: Request, ctx: RouteContext) => Response | Promise<Response>;

export interface Route {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  pattern: string;
  handler: RouteHandler;
}

/** every /api/admin/* route: each answers 403 to a non-admin (test/security/admin-routes fuzzes them all) */
export const ADMIN_ROUTES: readonly Route[] = [
  { method: "GET", pattern: "/api/admin/users", handler: adminUsers },
  { method: "POST", pattern: "/api/admin/users/[username]/deactivate", handler: deactivateUser },
  { method: "POST", pattern: "/api/admin/users/[username]/reactivate", handler: reactivateUser },
  { method: "POST", pattern: "/api/admin/users/[username]/admin", handler: grantAdmin },
  { method: "DELETE", pattern: "/api/admin/users/[username]/admin", handler: revokeAdmin },
  { method: "POST", pattern: "/api/admin/users/[username]/password-reset", handler: resetPassword },
  { method: "GET", pattern: "/api/admin/invites", handler: adminInvites },
  { method: "POST", pattern: "/api/admin/invites", handler: createInvite },
  { method: "DELETE", pattern: "/api/admin/invites/[id]", handler: revokeInvite },
  { method: "GET", pattern: "/api/admin/settings", handler: adminSettings },
  { method: "PUT", pattern: "/api/admin/settings", handler: putAdminSettings },
  { method: "GET", pattern: "/api/admin/audit", handler: auditLog },
];

export const API_ROUTES: readonly Route[] = [
  { method: "GET", pattern: "/api/status", handler: status },
  { method: "GET", pattern: "/api/health", handler: health },
  { method: "GET", pattern: "/api/health/ready", handler: ready },
  { method: "GET", pattern: "/metrics", handler: metrics },
  { method: "POST", pattern: "/api/register", handler: register },
  { method: "POST", pattern: "/api/login", handler: login },
  { method: "POST", pattern: "/api/logout", handler: logout },
  { method: "GET", pattern: "/api/messages", handler: messages },
  { method: "PATCH", pattern: "/api/messages/[id]", handler: editMessage },
  { method: "DELETE", pattern: "/api/messages/[id]", handler: deleteMessage },
  { method: "PUT", pattern: "/api/messages/[id]/reactions/[emoji]", handler: addReaction },
  { method: "DELETE", pattern: "/api/messages/[id]/reactions/[emoji]", handler: removeReaction },
  { method: "GET", pattern: "/api/changes", handler: changes },
  { method: "GET", pattern: "/api/rooms", handler: rooms },
  { method: "GET", pattern: "/api/rooms/[room]/members", handler: roomMembers },
  { method: "GET", pattern: "/api/users", handler: users },
  { method: "GET", pattern: "/api/search", handler: search },
  { method: "POST", pattern: "/api/uploads", handler: upload },
  { method: "GET", pattern: "/api/files/[id]", handler: serveFile },
  { method: "GET", pattern: "/api/files/[id]/thumbnail", handler: serveThumbnail },
  { method: "GET", pattern: "/api/me", handler: me },
  { method: "PATCH", pattern: "/api/me", handler: patchMe },
  { method: "POST", pattern: "/api/me/avatar", handler: uploadAvatar },
  { method: "DELETE", pattern: "/api/me/avatar", handler: deleteAvatar },
  { method: "GET", pattern: "/api/avatars/[id]", handler: avatar },
  { method: "POST", pattern: "/api/me/password", handler: changePassword },
  { method: "GET", pattern: "/api/me/sessions", handler: sessions },
  { method: "DELETE", pattern: "/api/me/sessions", handler: revokeOtherSessions },
  { method: "DELETE", pattern: "/api/me/sessions/[id]", handler: revokeSession },
  { method: "GET", pattern: "/api/me/notifications", handler: notificationSettings },
  { method: "PUT", pattern: "/api/me/notifications", handler: putNotificationSettings },
  { method: "GET", pattern: "/api/push/key", handler: pushKey },
  { method: "POST", pattern: "/api/push/subscriptions", handler: subscribePush },
  { method: "DELETE", pattern: "/api/push/subscriptions", handler: unsubscribePush },
  { method: "POST", pattern: "/api/password-reset", handler: completePasswordReset },
  ...ADMIN_ROUTES,
  { method: "POST", pattern: "/api/me/tokens", handler: createApiToken },
  { method: "GET", pattern: "/api/me/tokens", handler: listApiTokens },
  { method: "DELETE", pattern: "/api/me/tokens/[id]", handler: revokeApiToken },
  { method: "POST", pattern: "/api/hooks", handler: createHook },
  { method: "GET", pattern: "/api/hooks", handler: listHooks },
  { method: "DELETE", pattern: "/api/hooks/[id]", handler: revokeHook },
  { method: "POST", pattern: "/hooks/[secret]", handler: postToHook },
];

/**
 * The routes Next serves as its own route handlers (app/api/register and app/api/login: the stack has them so);
 * under `npm start` the app factory serves the rest of the table itself, without Next's router in the way.
 */
export const NEXT_ROUTE_PATHS: ReadonlySet<string> = new Set(["/api/register", "/api/login"]);

/**
 * The table's routes at `pathname`, whatever their method, each with its params (none: not one of its paths).
 * One pass serves the request, a 405's `Allow`, and the decision to leave the path to Next.
 */
export function routesAt(
  routes: readonly Route[],
  pathname: string,
): { route: Route; params: Record<string, string> }[] {
  const at: { route: Route; params: Record<string, string> }[] = [];
  for (const route of routes) {
    const params = matchPattern(route.pattern, pathname);
    if (params) at.push({ route, params });
  }
  return at;
}

/** The params of `pathname` under `pattern`, or undefined when it does not match (segments stay encoded). */
export function matchPattern(pattern: string, pathname: string): Record<string, string> | undefined {
  const want = pattern.split("/");
  const got = pathname.split("/");
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const segment = got[i] ?? "";
    if (part.startsWith("[") && part.endsWith("]")) {
      if (!segment) return undefined;
      params[part.slice(1, -1)] = segment;
    } else if (part !== segment) return undefined;
  }
  return params;
}

export function findRoute(
  routes: readonly Route[],
  method: string | undefined,
  pathname: string,
): { handler: RouteHandler; params: Record<string, string> } | undefined {
  const found = routesAt(routes, pathname).find((m) => m.route.method === method);
  return found && { handler: found.route.handler, params: found.params };
}
