// GET / DELETE /api/me/sessions: handlers in lib/http/routes.ts.
export { sessions as GET, revokeOtherSessions as DELETE } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
