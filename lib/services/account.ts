// The signed-in user's own sessions and password. Revoking a session (or changing the password, which
// revokes every other one) emits `session:revoked`, on which both realtime transports close its sockets.
import type { ProfileQueries, SessionQueries } from "../db/data-layer";
import { AppError } from "../errors";
import type { PasswordChange, SessionInfo } from "../protocol";
import { describeDevice } from "../text/device";
import { requireLoginSession } from "./api-tokens";
import type { Identity } from "./auth";
import type { ChatEvents } from "./events";
import type { PasswordHasher } from "./passwords";
import type { Throttles } from "./throttle";

export interface AccountDeps {
  profiles: ProfileQueries;
  sessions: SessionQueries;
  events: ChatEvents;
  passwords: PasswordHasher;
  throttles: Throttles;
  now?: () => Date;
}

export function createAccountService(deps: AccountDeps) {
  const now = deps.now ?? (() => new Date());
  const revoked = (ids: Iterable<number>) => {
    for (const id of ids) deps.events.emit("session:revoked", id);
  };

  return {
    /** checks `current` (throttled like a login: it is a password guess), stores `password`, ends every other session */
    async changePassword(user: Identity, input: PasswordChange, ip = "unknown"): Promise<{ revoked: number }> {
      requireLoginSession(user, "change the password");
      await deps.throttles.loginAttempt(user.username, ip);
      const hash = await deps.profiles.passwordHash(user.userId);
      if (!hash || !(await deps.passwords.compare(input.current, hash))) {
        throw new AppError("forbidden", "The current password is wrong");
      }
      await deps.throttles.loginSucceeded(user.username, ip);
      const ids = await deps.profiles.setPassword(
        user.userId,
        await deps.passwords.hash(input.password),
        user.sessionId,
      );
      revoked(ids);
      return { revoked: ids.length };
    },

    async sessions(user: Identity): Promise<SessionInfo[]> {
      const rows = await deps.sessions.sessionsOf(user.userId, now());
      return rows.map((s) => ({
        id: s.id,
        current: s.id === user.sessionId,
        createdAt: s.createdAt.toISOString(),
        lastUsedAt: s.lastUsedAt.toISOString(),
        userAgent: s.userAgent,
        device: describeDevice(s.userAgent),
      }));
    },

    /** ends one of the user's sessions (this one too, if asked: that is a logout) */
    async revokeSession(user: Identity, id: number): Promise<void> {
      if (!(await deps.sessions.deleteSessionOf(user.userId, id))) throw new AppError("not_found", "No such session");
      revoked([id]);
    },

    /** ends every session of the user but this one */
    async revokeOtherSessions(user: Identity): Promise<{ revoked: number }> {
      requireLoginSession(user, "sign out your sessions");
      const ids = await deps.sessions.deleteOtherSessions(user.userId, user.sessionId);
      revoked(ids);
      return { revoked: ids.length };
    },
  };
}
export type AccountService = ReturnType<typeof createAccountService>;
