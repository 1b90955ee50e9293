import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { RoomPane } from "@/components/RoomPane";
import { currentUser, loginRedirectPath } from "@/lib/http/current-user";
import { DEFAULT_ROOM } from "@/lib/protocol";
import { roomHref, routeParam } from "@/lib/web/routes";

interface Props {
  params: Promise<{ user: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `@${routeParam((await params).user)} · Chatterbox` };
}

export default async function DirectMessagePage({ params }: Props) {
  const me = await currentUser();
  if (!me) redirect(await loginRedirectPath());
  const peer = routeParam((await params).user);
  // a conversation with oneself is not a thing: back to general
  if (peer.toLowerCase() === me.username.toLowerCase()) redirect(roomHref(DEFAULT_ROOM));
  return <RoomPane key={peer.toLowerCase()} target={{ kind: "dm", peer }} />;
}
