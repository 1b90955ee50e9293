import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/LoginForm";
import { currentUser } from "@/lib/http/current-user";
import { getRuntime } from "@/lib/runtime";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Log in · Chatterbox" };

type Search = { mode?: string; invite?: string | string[] };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Search> }) {
  if (await currentUser()) redirect("/");
  const { mode, invite } = await searchParams;
  const code = typeof invite === "string" && invite.trim() ? invite.trim() : undefined;
  // said before anyone types: registration closed, an invite needed, or this invite expired, used or unknown
  const registrationProblem = await getRuntime().services.registration.problem(code);
  return (
    <LoginForm
      initialMode={mode === "register" || code ? "register" : "login"}
      invite={code}
      registrationProblem={registrationProblem}
    />
  );
}
