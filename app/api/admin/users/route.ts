// GET /api/admin/users: handlers in lib/http/routes.ts.
export { adminUsers as GET } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
