// GET /api/health: the handlers are in lib/http/routes.ts, one table for Next and the standalone server.
export { health as GET } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
