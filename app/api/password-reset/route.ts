// POST /api/password-reset: handlers in lib/http/routes.ts.
export { completePasswordReset as POST } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
