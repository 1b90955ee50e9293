// POST / DELETE /api/me/avatar: handlers in lib/http/routes.ts.
export { uploadAvatar as POST, deleteAvatar as DELETE } from "@/lib/http/routes";

export const dynamic = "force-dynamic";
