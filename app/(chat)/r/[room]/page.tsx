import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { RoomPane } from "@/components/RoomPane";
import { currentUser, loginRedirectPath } from "@/lib/http/current-user";
import { routeParam } from "@/lib/web/routes";

interface Props {
  params: Promise<{ room: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `# ${routeParam((await params).room)} · Chatterbox` };
}

export default async function RoomPage({ params }: Props) {
  if (!(await currentUser())) redirect(await loginRedirectPath());
  const name = routeParam((await params).room);
  return <RoomPane key={name.toLowerCase()} target={{ kind: "room", name }} />;
}
