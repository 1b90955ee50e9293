import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/LoginForm";
import { currentUser } from "@/lib/http/current-user";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Log in · Chatterbox" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ mode?: string }> }) {
  if (await currentUser()) redirect("/");
  const { mode } = await searchParams;
  return <LoginForm initialMode={mode === "register" ? "register" : "login"} />;
}
