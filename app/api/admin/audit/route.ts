// GET /api/admin/audit: handlers in lib/http/routes.ts.
export { auditLog as GET } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
