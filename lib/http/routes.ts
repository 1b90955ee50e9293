// The one HTTP route table. Next serves it through app/api/**/route.ts (each file re-exports its handler from
// here, as Next's file routing requires); without Next (tests, bench) lib/server/route-listener.ts dispatches
// on the same table. Patterns use Next's file syntax: `[name]` is one path segment, passed as a param.
import { login, logout, register } from "./auth-routes";
import { changes, messages, roomMembers, rooms, search, users } from "./chat-routes";
import { addReaction, deleteMessage, editMessage, removeReaction } from "./message-action-routes";
import { metrics } from "./metrics-routes";
import { notificationSettings, putNotificationSettings } from "./notification-routes";
import { pushKey, subscribePush, unsubscribePush } from "./push-routes";
import { createHook, listHooks, postToHook, revokeHook } from "./hook-routes";
import { health, ready, status } from "./status-routes";
import { createApiToken, listApiTokens, revokeApiToken } from "./token-routes";

export {
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
  status,
  subscribePush,
  unsubscribePush,
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
  { method: "GET", pattern: "/api/me/notifications", handler: notificationSettings },
  { method: "PUT", pattern: "/api/me/notifications", handler: putNotificationSettings },
  { method: "GET", pattern: "/api/push/key", handler: pushKey },
  { method: "POST", pattern: "/api/push/subscriptions", handler: subscribePush },
  { method: "DELETE", pattern: "/api/push/subscriptions", handler: unsubscribePush },
  { method: "POST", pattern: "/api/me/tokens", handler: createApiToken },
  { method: "GET", pattern: "/api/me/tokens", handler: listApiTokens },
  { method: "DELETE", pattern: "/api/me/tokens/[id]", handler: revokeApiToken },
  { method: "POST", pattern: "/api/hooks", handler: createHook },
  { method: "GET", pattern: "/api/hooks", handler: listHooks },
  { method: "DELETE", pattern: "/api/hooks/[id]", handler: revokeHook },
  { method: "POST", pattern: "/hooks/[secret]", handler: postToHook },
];

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
  for (const r of routes) {
    const params = r.method === method ? matchPattern(r.pattern, pathname) : undefined;
    if (params) return { handler: r.handler, params };
  }
  return undefined;
}
