// GET / PATCH /api/me: handlers in lib/http/routes.ts.
export { me as GET, patchMe as PATCH } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
