// The query groups not yet written for PostgreSQL: each method rejects with a clear error naming it, so a
// deployment finds out at the first use, never by silently wrong answers. Replaced group by group.
import type { DataLayer } from "../data-layer";
import { pgAdminQueries } from "./admin";
import type { Pool } from "./pool";
import { pgProfileQueries } from "./profiles";

type Groups = Pick<DataLayer, "profiles" | "apiTokens" | "hooks" | "notifications" | "push" | "admin" | "uploads">;

function notYet<T extends object>(group: string): T {
  return new Proxy({} as T, {
    get: (_target, method) =>
      // `then`: the object itself is not a promise
      method === "then"
        ? undefined
        : () => Promise.reject(new Error(`${group}.${String(method)} is not yet on PostgreSQL`)),
  });
}

export function pgMissingGroups(pool: Pool): Groups {
  return {
    profiles: pgProfileQueries(pool),
    apiTokens: notYet("apiTokens"),
    hooks: notYet("hooks"),
    notifications: notYet("notifications"),
    push: notYet("push"),
    admin: pgAdminQueries(pool),
    uploads: notYet("uploads"),
  };
}
