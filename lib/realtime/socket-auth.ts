// Who is on the other end of a socket: the token from the handshake's auth, else the session cookie.
import type { IncomingMessage } from "node:http";
import { sessionFromCookies } from "../http/session";
import { socketAuthSchema, type SocketAuth } from "../protocol";
import type { AuthService, Identity } from "../services/auth";

export async function identify(
  auth: AuthService,
  handshakeAuth: unknown,
  req: IncomingMessage,
): Promise<{ identity: Identity; options: SocketAuth } | { error: string }> {
  const parsed = socketAuthSchema.safeParse(handshakeAuth ?? {});
  if (!parsed.success) {
    const bad = parsed.error.issues[0]?.path[0];
    const numeric = bad === "lastMessageId" || bad === "since";
    return { error: numeric ? `${bad} must be a non-negative integer` : "unauthorized" };
  }
  const token = parsed.data.token ?? sessionFromCookies(req.headers.cookie);
  const identity = await auth.authenticate(token);
  return identity ? { identity, options: parsed.data } : { error: "unauthorized" };
}
