// GET / PUT /api/admin/settings: handlers in lib/http/routes.ts.
export { adminSettings as GET, putAdminSettings as PUT } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
