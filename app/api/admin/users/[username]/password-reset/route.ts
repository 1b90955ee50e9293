// POST /api/admin/users/<username>/password-reset: handlers in lib/http/routes.ts.
export { resetPassword as POST } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
