// DELETE /api/admin/invites/<id>: handlers in lib/http/routes.ts.
export { revokeInvite as DELETE } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
