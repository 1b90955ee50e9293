// A Content-Security-Policy with a fresh nonce on every page: Next puts the nonce on its own scripts, and a
// script that slipped into a page some other way would not run. (API responses are JSON and get the
// static headers from next.config.mjs.)
import { NextResponse, type NextRequest } from "next/server";

export function proxy(req: NextRequest): NextResponse {
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const dev = process.env.NODE_ENV !== "production";
  const csp = [
    "default-src 'self'",
    // React's dev tooling evaluates code; production never does
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // 'self' covers the same-origin ws:/wss: sockets (socket.io, and Next's HMR in dev)
    "connect-src 'self'",
    // the Web Push service worker, /sw.js
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");

  const headers = new Headers(req.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("content-security-policy", csp);
  return res;
}

export const config = {
  // pages only: not the API, Next's static files, the icon or the service worker (its headers: next.config.mjs)
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|icon.svg|favicon.ico|sw.js).*)",
      missing: [{ type: "header", key: "next-router-prefetch" }],
    },
  ],
};
