// POST /login (lib/http/legacy-routes.ts maps the seed's path here); handler in lib/http/routes.ts.
export { login as POST } from "@/lib/http/routes";
