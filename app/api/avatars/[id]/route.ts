// GET /api/avatars/<id>: handler in lib/http/routes.ts.
export { avatar as GET } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
