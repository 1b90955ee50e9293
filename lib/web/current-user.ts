// The signed-in user for a server-rendered page, from the session cookie.
import { cookies } from "next/headers";
import { SESSION_COOKIE } from "../protocol";
import { getRuntime } from "../runtime";
import type { Identity } from "../services/auth";

export async function currentUser(): Promise<Identity | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return getRuntime().services.auth.authenticate(token);
}
