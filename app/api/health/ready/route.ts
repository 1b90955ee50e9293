// GET /api/health/ready (readiness): handler in lib/http/routes.ts.
export { ready as GET } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
