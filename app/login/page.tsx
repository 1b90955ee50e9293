import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/LoginForm";
import { currentUser } from "@/lib/http/current-user";
import { getRuntime } from "@/lib/runtime";
import { returnPath } from "@/lib/web/routes";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Log in · Chatterbox" };

type Search = { mode?: string; invite?: string | string[]; next?: string | string[] };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Search> }) {
  const { mode, invite, next } = await searchParams;
  // where a logged-out visitor was going (a link to a message): back there once logged in
  const back = returnPath(next);
  if (await currentUser()) redirect(back ?? "/");
  const code = typeof invite === "string" && invite.trim() ? invite.trim() : undefined;
  // said before anyone types: registration closed, an invite needed, or this invite expired, used or unknown
  const registrationProblem = await getRuntime().services.registration.problem(code);
  return (
    <LoginForm
      initialMode={mode === "register" || code ? "register" : "login"}
      invite={code}
      registrationProblem={registrationProblem}
      next={back ?? undefined}
    />
  );
}
