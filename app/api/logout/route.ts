// POST /logout (lib/http/legacy-routes.ts maps the seed's path here); handler in lib/http/routes.ts.
export { logout as POST } from "@/lib/http/routes";
