import { redirect } from "next/navigation";

// GET /register shows the login page in its register mode (keeping an invite code: /register?invite=…, the link
// an admin hands out); POST /register is the JSON API (lib/http/legacy-routes.ts).
export default async function RegisterPage({
  searchParams,
}: {
  searchParams: Promise<{ invite?: string | string[] }>;
}) {
  const { invite } = await searchParams;
  const code = typeof invite === "string" ? invite : undefined;
  redirect(code ? `/login?mode=register&invite=${encodeURIComponent(code)}` : "/login?mode=register");
}
