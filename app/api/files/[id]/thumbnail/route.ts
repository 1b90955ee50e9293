// GET /api/files/<id>/thumbnail: handler in lib/http/routes.ts.
export { serveThumbnail as GET } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
