// POST / GET /api/me/tokens: handlers in lib/http/routes.ts.
export { createApiToken as POST, listApiTokens as GET } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
