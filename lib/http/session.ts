// The session token on HTTP: Bearer header for API clients, HttpOnly cookie for the web UI.
import { parseCookie, stringifySetCookie } from "cookie";
import { AppError } from "../errors";
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from "../protocol";
import type { AuthService, Identity } from "../services/auth";

/** One cookie's value from a Cookie header (the first of that name, URL-decoded where it is encoded). */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  return header ? parseCookie(header)[name] : undefined;
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

const SESSION_COOKIE_ATTRIBUTES = { path: "/", httpOnly: true, sameSite: "lax" } as const;

function isHttps(req: Request): boolean {
  return new URL(req.url).protocol === "https:" || req.headers.get("x-forwarded-proto") === "https";
}

/**
 * HttpOnly so page scripts never see the token; SameSite=Lax so other sites cannot post with it; over HTTPS
 * Secure and __Host- prefixed, so it can be neither sent in clear nor shadowed by a subdomain's cookie.
 */
export function sessionCookie(req: Request, token: string, maxAgeSeconds: number): string {
  const https = isHttps(req);
  return stringifySetCookie(https ? SECURE_SESSION_COOKIE : SESSION_COOKIE, token, {
    ...SESSION_COOKIE_ATTRIBUTES,
    maxAge: maxAgeSeconds,
    secure: https,
  });
}

export function clearedSessionCookies(req: Request): string[] {
  const cleared = { ...SESSION_COOKIE_ATTRIBUTES, maxAge: 0 };
  const names = isHttps(req) ? [SESSION_COOKIE, SECURE_SESSION_COOKIE] : [SESSION_COOKIE];
  return names.map((name) => stringifySetCookie(name, "", { ...cleared, secure: name === SECURE_SESSION_COOKIE }));
}
