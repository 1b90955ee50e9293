// GET /metrics: the handler is in lib/http/routes.ts, one table for Next and the standalone server.
export { metrics as GET } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
