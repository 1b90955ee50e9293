import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { SettingsPane } from "@/components/settings/SettingsPane";
import { currentUser, loginRedirectPath } from "@/lib/http/current-user";
import { parseTheme, THEME_COOKIE } from "@/lib/web/theme";

export const metadata: Metadata = { title: "Settings · Chatterbox" };

export default async function SettingsPage() {
  if (!(await currentUser())) redirect(await loginRedirectPath());
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return <SettingsPane theme={theme} />;
}
