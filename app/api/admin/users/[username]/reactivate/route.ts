// POST /api/admin/users/<username>/reactivate: handlers in lib/http/routes.ts.
export { reactivateUser as POST } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
