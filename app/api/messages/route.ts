// GET /api/messages: handler in lib/http/routes.ts.
export { messages as GET } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
