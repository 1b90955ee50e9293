// A Content-Security-Policy with a fresh nonce on every page: Next puts the nonce on its own scripts, and a
// script that slipped into a page some other way would not run. The policy itself is in
// lib/http/security-headers.ts; the static headers every response gets are set by the app factory.
import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, newNonce } from "./lib/http/security-headers";

export function proxy(req: NextRequest): NextResponse {
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV !== "production");
  const headers = new Headers(req.headers);
  headers.set("x-nonce", nonce);
  // the page asked for, so that a redirect to /login can come back to it (lib/http/current-user.ts)
  headers.set("x-path", req.nextUrl.pathname + req.nextUrl.search);
  headers.set("content-security-policy", csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("content-security-policy", csp);
  return res;
}

export const config = {
  // pages only: not the API, /hooks/, /metrics, Next's static files, the icon or the service worker (its headers:
  // next.config.mjs)
  matcher: [
    {
      source: "/((?!api/|hooks/|metrics$|_next/static|_next/image|icon.svg|favicon.ico|sw.js).*)",
      missing: [{ type: "header", key: "next-router-prefetch" }],
    },
  ],
};
