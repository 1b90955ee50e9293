// The signed-in user for a server-rendered page, from the session cookie.
import { cookies, headers } from "next/headers";
import { returnPath } from "../web/routes";
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from "../protocol";
import { getRuntime } from "../runtime";
import type { Identity } from "../services/auth";

export async function currentUser(): Promise<Identity | null> {
  const jar = await cookies();
  const token = (jar.get(SECURE_SESSION_COOKIE) ?? jar.get(SESSION_COOKIE))?.value;
  return getRuntime().services.auth.authenticateSession(token);
}

/** /login, asked to come back to the page requested (proxy.ts' x-path) once logged in: a link to a message survives */
export async function loginRedirectPath(): Promise<string> {
  const back = returnPath((await headers()).get("x-path"));
  return back && back !== "/" ? `/login?next=${encodeURIComponent(back)}` : "/login";
}
