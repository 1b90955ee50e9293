// The signed-in user for a server-rendered page, from the session cookie.
import { cookies } from "next/headers";
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from "../protocol";
import { getRuntime } from "../runtime";
import type { Identity } from "../services/auth";

export async function currentUser(): Promise<Identity | null> {
  const jar = await cookies();
  const token = (jar.get(SECURE_SESSION_COOKIE) ?? jar.get(SESSION_COOKIE))?.value;
  return getRuntime().services.auth.authenticateSession(token);
}
