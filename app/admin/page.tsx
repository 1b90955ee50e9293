import type { Metadata } from "next";
import { forbidden, redirect } from "next/navigation";
import { AdminPage } from "@/components/admin/AdminPage";
import { currentUser, loginRedirectPath } from "@/lib/http/current-user";
import { getRuntime } from "@/lib/runtime";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Administration · Chatterbox" };

// admins only: anyone else signed in gets the 403 page (app/forbidden.tsx), the API the same 403s
export default async function AdminRoute() {
  const user = await currentUser();
  if (!user) redirect(await loginRedirectPath());
  if (!(await getRuntime().services.admin.isAdmin(user.userId))) forbidden();
  return <AdminPage username={user.username} />;
}
