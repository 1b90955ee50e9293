// GET /api/users: handler in lib/http/routes.ts.
export { users as GET } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
