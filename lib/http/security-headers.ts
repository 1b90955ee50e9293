// The security headers, written once: the static set every response carries (the app factory sets them on
// each request, with Next or without), and the per-page Content-Security-Policy that proxy.ts (Next's
// middleware) builds around a fresh nonce. Pure functions, no Node APIs: proxy.ts runs in Next's bundle.

/** For every response, pages and API alike. */
export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
  "Cross-Origin-Opener-Policy": "same-origin",
};

/** 16 random bytes, base64: a page's script nonce. */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/** A page's CSP: only scripts carrying `nonce` (and what they load) run; nothing may frame the page. */
export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // React's dev tooling evaluates code; production never does
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    // https: for webhooks' icons (icon_url), loaded without a referrer as Mattermost loads them
    "img-src 'self' data: blob: https:",
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
}
