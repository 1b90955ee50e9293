// DELETE /api/hooks/<id>: handler in lib/http/routes.ts.
export { revokeHook as DELETE } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
