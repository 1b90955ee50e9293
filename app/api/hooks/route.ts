// POST / GET /api/hooks: handlers in lib/http/routes.ts.
export { createHook as POST, listHooks as GET } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
