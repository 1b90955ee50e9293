// Who is on the other end of a socket: the token from the handshake's auth, else the session cookie.
import type { IncomingMessage } from "node:http";
import { readCookie } from "../http/session";
import { SESSION_COOKIE, socketAuthSchema, type SocketAuth } from "../protocol";
import type { AuthService, Identity } from "../services/auth";

export async function identify(
  auth: AuthService,
  handshakeAuth: unknown,
  req: IncomingMessage,
): Promise<{ identity: Identity; options: SocketAuth } | null> {
  const parsed = socketAuthSchema.safeParse(handshakeAuth ?? {});
  if (!parsed.success) return null;
  const token = parsed.data.token ?? readCookie(req.headers.cookie, SESSION_COOKIE);
  const identity = await auth.authenticate(token);
  return identity && { identity, options: parsed.data };
}
