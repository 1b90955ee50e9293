import { redirect } from "next/navigation";
import { Chat } from "@/components/Chat";
import { currentUser } from "@/lib/web/current-user";

export const dynamic = "force-dynamic";

export default async function ChatPage() {
  const user = await currentUser();
  if (!user) redirect("/login");
  return <Chat username={user.username} />;
}
