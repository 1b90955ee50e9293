// POST /register (lib/http/legacy-routes.ts maps the seed's path here).
import { assertSameOrigin } from "@/lib/http/guard";
import { clientIp, json, readJson, route } from "@/lib/http/respond";
import { credentialsSchema } from "@/lib/protocol";
import { getRuntime } from "@/lib/runtime";

export const POST = route(async (req) => {
  assertSameOrigin(req);
  const credentials = await readJson(req, credentialsSchema);
  await getRuntime().services.auth.register(credentials, clientIp(req));
  return json({ message: "User registered successfully" });
});
