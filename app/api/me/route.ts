// GET /api/me: handler in lib/http/routes.ts.
export { me as GET } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
