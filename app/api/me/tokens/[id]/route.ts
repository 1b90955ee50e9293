// DELETE /api/me/tokens/<id>: handler in lib/http/routes.ts.
export { revokeApiToken as DELETE } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
