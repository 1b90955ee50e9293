// GET / for non-browser clients (lib/http/legacy-routes.ts maps it here): the seed's health answer.
import { json } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export function GET(): Response {
  return json({ status: "Server is running" });
}
