// DELETE /api/me/sessions/<id>: handler in lib/http/routes.ts.
export { revokeSession as DELETE } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
