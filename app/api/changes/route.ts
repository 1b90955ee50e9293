// GET /api/changes: handler in lib/http/routes.ts.
export { changes as GET } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
