// POST / DELETE /api/push/subscriptions: handlers in lib/http/routes.ts.
export { subscribePush as POST, unsubscribePush as DELETE } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
