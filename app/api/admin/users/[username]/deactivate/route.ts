// POST /api/admin/users/<username>/deactivate: handlers in lib/http/routes.ts.
export { deactivateUser as POST } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
