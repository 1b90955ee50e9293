// Registration, login, sessions. Knows nothing of HTTP or sockets.
import { createHash, randomBytes } from "node:crypto";
import type { PasswordHasher } from "./passwords";
import type { Throttles } from "./throttle";
import type { ApiTokenQueries, SessionQueries, UserQueries } from "../db/data-layer";
import { AppError } from "../errors";
import type { Credentials, Registration as RegistrationInput } from "../protocol";
import type { ChatEvents } from "./events";
import type { Registration } from "./registration";

export interface Identity {
  /** the login session; for a personal access token its id negated, so revoking either closes its sockets */
  sessionId: number;
  userId: number;
  username: string;
  /** as it was when the session was looked up; checks that matter ask the admin service again */
  admin: boolean;
  /** set when a personal access token, not a login session, is behind this request or socket */
  apiTokenId?: number;
}

/** Personal access tokens carry a prefix, so secret scanners and people can tell them from session tokens. */
export const API_TOKEN_PREFIX = "cbx_pat_";
/** lastUsedAt is written at most this often per token: a script's every request is not a write */
const TOKEN_TOUCH_MS = 60_000;

export interface AuthDeps {
  users: UserQueries;
  sessions: SessionQueries;
  apiTokens: ApiTokenQueries;
  events: ChatEvents;
  passwords: PasswordHasher;
  throttles: Throttles;
  registration: Registration;
  /** seconds */
  sessionTtl: number;
  now?: () => Date;
}

export const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

export function createAuthService(deps: AuthDeps) {
  const now = deps.now ?? (() => new Date());
  const ttlMs = deps.sessionTtl * 1000;
  // compared against when the user does not exist, so both failures take one bcrypt comparison
  const { passwords } = deps;
  let dummy: Promise<string> | undefined;
  const dummyHash = () => (dummy ??= passwords.hash("chatterbox-timing-equaliser"));
  // computed ahead on the worker, so the first unknown-user login costs what every other login does
  dummyHash().catch(() => (dummy = undefined));
  const { throttles } = deps;

  /** the session behind a token, sliding its expiry forward; null when unknown or expired */
  async function sessionIdentity(token: string | undefined | null): Promise<Identity | null> {
    if (!token) return null;
    const session = await deps.sessions.findSession(hashToken(token));
    const t = now().getTime();
    if (!session || session.expiresAt.getTime() <= t) return null;
    // slide at most once per tenth of the TTL so every request is not a write
    if (session.expiresAt.getTime() - t < ttlMs * 0.9) {
      await deps.sessions.extendSession(session.id, new Date(t + ttlMs));
    }
    return { sessionId: session.id, userId: session.userId, username: session.username, admin: session.admin };
  }

  async function apiTokenIdentity(token: string): Promise<Identity | null> {
    const found = await deps.apiTokens.findApiToken(hashToken(token));
    if (!found) return null;
    const t = now();
    if (!found.lastUsedAt || t.getTime() - found.lastUsedAt.getTime() > TOKEN_TOUCH_MS) {
      await deps.apiTokens.touchApiToken(found.id, t);
    }
    return {
      sessionId: -found.id,
      userId: found.userId,
      username: found.username,
      admin: found.admin,
      apiTokenId: found.id,
    };
  }

  return {
    /** as REGISTRATION (or the admin's choice) allows; the first account of an empty database always may */
    async register({ username, password, invite }: RegistrationInput, ip = "unknown"): Promise<void> {
      await throttles.registration(ip);
      const admission = await deps.registration.admission(invite);
      const hash = await passwords.hash(password);
      const user = await deps.users.createUser(username, hash, admission);
      if (user === "refused") throw await deps.registration.refusal(invite);
      if (!user) throw new AppError("conflict", "User already exists");
    },

    /** a new session token; the token is returned once and only its hash is stored */
    async login(
      { username, password }: Credentials,
      ip = "unknown",
      userAgent: string | null = null,
    ): Promise<{ token: string; expiresAt: Date }> {
      await throttles.loginAttempt(username, ip);
      const user = await deps.users.findUserByName(username);
      const ok = await passwords.compare(password, user?.passwordHash ?? (await dummyHash()));
      // a deactivated account is told no more than a wrong password is
      if (!user || !ok || user.deactivated) throw new AppError("unauthorized", "Invalid credentials");
      await throttles.loginSucceeded(username, ip);
      const token = randomBytes(32).toString("base64url");
      const expiresAt = new Date(now().getTime() + ttlMs);
      // kept for the sessions list, cut to a length no real browser sends
      await deps.sessions.createSession(user.id, hashToken(token), expiresAt, userAgent?.slice(0, 512) ?? null);
      return { token, expiresAt };
    },

    /** a login session or a personal access token (Bearer, socket auth, /ws): who is behind it, or null */
    authenticate: (token: string | undefined | null): Promise<Identity | null> =>
      token?.startsWith(API_TOKEN_PREFIX) ? apiTokenIdentity(token) : sessionIdentity(token),

    /** a login session only (the session cookie: an API token never becomes one) */
    authenticateSession: sessionIdentity,

    /**
     * Ends the sockets of sessions that expired while connected: sockets authenticate once, at the
     * handshake, so without this an open socket would outlive its session.
     */
    async revokeExpired(sessionIds: Iterable<number>): Promise<void> {
      const all = [...new Set(sessionIds)];
      const ids = all.filter((id) => id > 0);
      const tokenIds = all.filter((id) => id < 0).map((id) => -id);
      if (ids.length > 0) {
        const live = await deps.sessions.liveSessionIds(ids, now());
        for (const id of ids) if (!live.has(id)) deps.events.emit("session:revoked", id);
      }
      if (tokenIds.length > 0) {
        const live = await deps.apiTokens.liveApiTokenIds(tokenIds);
        for (const id of tokenIds) if (!live.has(id)) deps.events.emit("session:revoked", -id);
      }
    },

    async logout(token: string): Promise<boolean> {
      const id = await deps.sessions.deleteSession(hashToken(token));
      if (id === null) return false;
      deps.events.emit("session:revoked", id);
      return true;
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
