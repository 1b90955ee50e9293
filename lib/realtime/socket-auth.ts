// Who is on the other end of a socket: the token from the handshake's auth, else the session cookie.
import type { IncomingHttpHeaders } from "node:http";
import { sessionFromCookies } from "../http/session";
import { socketAuthSchema, type SocketAuth } from "../protocol";
import type { AuthService, Identity } from "../services/auth";

export async function identify(
  auth: AuthService,
  handshakeAuth: unknown,
  headers: IncomingHttpHeaders,
): Promise<{ identity: Identity; options: SocketAuth } | { error: string }> {
  const parsed = socketAuthSchema.safeParse(handshakeAuth ?? {});
  if (!parsed.success) {
    const bad = parsed.error.issues[0]?.path[0];
    const numeric = bad === "lastMessageId" || bad === "since";
    return { error: numeric ? `${bad} must be a non-negative integer` : "unauthorized" };
  }
  // a token in the handshake may be a personal access token; the cookie is only ever a login session
  const identity = parsed.data.token
    ? await auth.authenticate(parsed.data.token)
    : await auth.authenticateSession(sessionFromCookies(headers.cookie));
  return identity ? { identity, options: parsed.data } : { error: "unauthorized" };
}
