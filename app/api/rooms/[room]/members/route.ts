// GET /api/rooms/<name>/members: handler in lib/http/routes.ts.
export { roomMembers as GET } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
