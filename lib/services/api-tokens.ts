// Personal access tokens (SPEC.md "Integrations"): named Bearer tokens for scripts and bots. A token is not a
// login session: it survives logout, never becomes a cookie, and cannot make more tokens.
import { randomBytes } from "node:crypto";
import type { ApiTokenQueries } from "../db/data-layer";
import { AppError } from "../errors";
import type { ApiTokenInfo, CreatedApiToken } from "../protocol";
import { API_TOKEN_PREFIX, hashToken, type Identity } from "./auth";
import type { ChatEvents } from "./events";

export interface ApiTokenDeps {
  apiTokens: ApiTokenQueries;
  events: ChatEvents;
}

/** Refuses what only a login session may do (making tokens, changing the password). */
export function requireLoginSession(user: Identity, what: string): void {
  if (user.apiTokenId !== undefined) {
    throw new AppError("forbidden", `An API token cannot ${what}; sign in with your password to do it`);
  }
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function createApiTokenService(deps: ApiTokenDeps) {
  return {
    /** the token is in the result once; only its hash is kept */
    async create(user: Identity, name: string): Promise<CreatedApiToken> {
      requireLoginSession(user, "create API tokens");
      const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
      const row = await deps.apiTokens.createApiToken(user.userId, name, hashToken(token));
      return { token, id: row.id, name: row.name, createdAt: row.createdAt.toISOString() };
    },
    async list(user: Identity): Promise<ApiTokenInfo[]> {
      const rows = await deps.apiTokens.listApiTokens(user.userId);
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        createdAt: r.createdAt.toISOString(),
        lastUsedAt: iso(r.lastUsedAt),
        current: r.id === user.apiTokenId,
      }));
    },
    /** revoked at once: its sockets are closed like a logged-out session's */
    async revoke(user: Identity, id: number): Promise<void> {
      if (!(await deps.apiTokens.deleteApiToken(user.userId, id))) {
        throw new AppError("not_found", `You have no API token ${id}`);
      }
      deps.events.emit("session:revoked", -id);
    },
  };
}
export type ApiTokenService = ReturnType<typeof createApiTokenService>;
