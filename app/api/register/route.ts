// POST /register (lib/http/legacy-routes.ts maps the seed's path here); handler in lib/http/routes.ts.
export { register as POST } from "@/lib/http/routes";
