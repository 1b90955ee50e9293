/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // native and server-only packages stay outside the bundles; server.ts loads them once
  serverExternalPackages: ["better-sqlite3", "@prisma/client", "@prisma/adapter-better-sqlite3", "pino", "bcryptjs"],
  // `npm test` typechecks and lints the whole project; a production start should not redo it
  typescript: { ignoreBuildErrors: true },
  // the security headers: the app factory sets the static ones on every response
  // (lib/http/security-headers.ts), proxy.ts adds each page's Content-Security-Policy
};

export default nextConfig;
