// GET /api/push/key: handler in lib/http/routes.ts.
export { pushKey as GET } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
