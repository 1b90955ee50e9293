// GET / for non-browser clients (lib/http/legacy-routes.ts maps it here); handler in lib/http/routes.ts.
export { status as GET } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
