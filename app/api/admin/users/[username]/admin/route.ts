// POST / DELETE /api/admin/users/<username>/admin: handlers in lib/http/routes.ts.
export { grantAdmin as POST, revokeAdmin as DELETE } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
