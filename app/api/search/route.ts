// GET /api/search: handler in lib/http/routes.ts.
export { search as GET } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
