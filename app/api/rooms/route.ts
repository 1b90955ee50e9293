// GET /api/rooms: handler in lib/http/routes.ts.
export { rooms as GET } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
