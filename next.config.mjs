/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // forbidden() answers /admin to non-admins with app/forbidden.tsx and a 403
  // pages load on their first request, not at start: the server answers sockets and the API (and its health
  // check) about 0.3 s sooner after a restart, and the first page view pays that once
  experimental: { authInterrupts: true, preloadEntriesOnStart: false },
  // native and server-only packages stay outside the bundles; server.ts loads them once
  serverExternalPackages: ["better-sqlite3", "@prisma/client", "@prisma/adapter-better-sqlite3", "pino", "bcryptjs"],
  // `npm test` typechecks and lints the whole project; a production start should not redo it
  typescript: { ignoreBuildErrors: true },
  // the security headers: the app factory sets the static ones on every response
  // (lib/http/security-headers.ts), proxy.ts adds each page's Content-Security-Policy
  async headers() {
    return [
      {
        // the service worker: always revalidated (an update reaches browsers), scoped to the whole site,
        // and its own CSP (a worker's comes from its script's response): no fetches beyond this origin
        source: "/sw.js",
        headers: [
          { key: "Content-Type", value: "application/javascript; charset=utf-8" },
          { key: "Cache-Control", value: "no-cache" },
          { key: "Service-Worker-Allowed", value: "/" },
          { key: "Content-Security-Policy", value: "default-src 'self'; script-src 'self'; object-src 'none'" },
        ],
      },
    ];
  },
};

export default nextConfig;
