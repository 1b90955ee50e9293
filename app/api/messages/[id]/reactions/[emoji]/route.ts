// PUT / DELETE /api/messages/<id>/reactions/<emoji>: handlers in lib/http/routes.ts.
export { addReaction as PUT, removeReaction as DELETE } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
