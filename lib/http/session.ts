// The session token on HTTP: Bearer header for API clients, HttpOnly cookie for the web UI.
import { AppError } from "../errors";
import { SESSION_COOKIE } from "../protocol";
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

export function requestToken(req: Request): string | undefined {
  const authz = req.headers.get("authorization");
  const bearer = authz?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return bearer ?? readCookie(req.headers.get("cookie"), SESSION_COOKIE);
}

export async function requireIdentity(req: Request, auth: AuthService): Promise<Identity> {
  const identity = await auth.authenticate(requestToken(req));
  if (!identity) throw new AppError("unauthorized", "Missing, invalid or expired token");
  return identity;
}

function isHttps(req: Request): boolean {
  return new URL(req.url).protocol === "https:" || req.headers.get("x-forwarded-proto") === "https";
}

/** HttpOnly so page scripts never see the token; SameSite=Lax so other sites cannot post with it. */
export function sessionCookie(req: Request, token: string, maxAgeSeconds: number): string {
  const secure = isHttps(req) ? "; Secure" : "";
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}
