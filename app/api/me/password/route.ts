// POST /api/me/password: handler in lib/http/routes.ts.
export { changePassword as POST } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
