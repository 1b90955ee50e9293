// PATCH / DELETE /api/messages/<id>: handlers in lib/http/routes.ts.
export { editMessage as PATCH, deleteMessage as DELETE } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
