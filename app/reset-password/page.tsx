import type { Metadata } from "next";
import { ResetPasswordForm } from "@/components/ResetPasswordForm";
import { getRuntime } from "@/lib/runtime";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Choose a new password · Chatterbox" };

// the page behind an admin's one-time link (/reset-password?token=…); the link is checked before anyone types
export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string | string[] }>;
}) {
  const { token } = await searchParams;
  const code = typeof token === "string" && token.length <= 200 ? token : undefined;
  const username = code ? await getRuntime().services.admin.passwordResetUser(code) : null;
  return <ResetPasswordForm token={code} username={username} />;
}
