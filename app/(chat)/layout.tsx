import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { ChatShell } from "@/components/ChatShell";
import { currentUser, loginRedirectPath } from "@/lib/http/current-user";

// The chat's pages (/, /r/<room>, /dm/<user>) share this layout, so the shell (and its one socket) stays
// mounted while the reader moves between rooms.
export default async function ChatLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  if (!user) redirect(await loginRedirectPath());
  return (
    <ChatShell username={user.username} admin={user.admin}>
      {children}
    </ChatShell>
  );
}
