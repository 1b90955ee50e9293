// GET / POST /api/admin/invites: handlers in lib/http/routes.ts.
export { adminInvites as GET, createInvite as POST } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
