// The session token on HTTP: Bearer header for API clients, HttpOnly cookie for the web UI.
import { AppError } from "../errors";
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from "../protocol";
import type { AuthService, Identity } from "../services/auth";

export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The session token from a Cookie header, whichever of the two names it was set under. */
export function sessionFromCookies(header: string | null | undefined): string | undefined {
  return readCookie(header, SECURE_SESSION_COOKIE) ?? readCookie(header, SESSION_COOKIE);
}

/**
 * Who is behind a request: a Bearer token (a login session or a personal access token), else the session
 * cookie, which only a login makes, so it is only ever a login session.
 */
export async function requestIdentity(req: Request, auth: AuthService): Promise<Identity | null> {
  const bearer = req.headers.get("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return auth.authenticate(bearer);
  return auth.authenticateSession(sessionFromCookies(req.headers.get("cookie")));
}

export function requestToken(req: Request): string | undefined {
  const authz = req.headers.get("authorization");
  const bearer = authz?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return bearer ?? sessionFromCookies(req.headers.get("cookie"));
}

export async function requireIdentity(req: Request, auth: AuthService): Promise<Identity> {
  const identity = await requestIdentity(req, auth);
  if (!identity) throw new AppError("unauthorized", "Missing, invalid or expired token");
  return identity;
}

function isHttps(req: Request): boolean {
  return new URL(req.url).protocol === "https:" || req.headers.get("x-forwarded-proto") === "https";
}

/**
 * HttpOnly so page scripts never see the token; SameSite=Lax so other sites cannot post with it; over HTTPS
 * Secure and __Host- prefixed, so it can be neither sent in clear nor shadowed by a subdomain's cookie.
 */
export function sessionCookie(req: Request, token: string, maxAgeSeconds: number): string {
  const attrs = `Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}`;
  return isHttps(req)
    ? `${SECURE_SESSION_COOKIE}=${encodeURIComponent(token)}; ${attrs}; Secure`
    : `${SESSION_COOKIE}=${encodeURIComponent(token)}; ${attrs}`;
}

export function clearedSessionCookies(req: Request): string[] {
  const cleared = [`${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`];
  if (isHttps(req)) cleared.push(`${SECURE_SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure`);
  return cleared;
}
