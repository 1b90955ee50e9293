// GET /api/files/<id>: handler in lib/http/routes.ts.
export { serveFile as GET } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
