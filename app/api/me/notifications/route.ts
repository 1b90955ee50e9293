// GET / PUT /api/me/notifications: handlers in lib/http/routes.ts.
export { notificationSettings as GET, putNotificationSettings as PUT } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
