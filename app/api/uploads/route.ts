// POST /api/uploads: handler in lib/http/routes.ts.
export { upload as POST } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
