import { redirect } from "next/navigation";
import { RoomPane } from "@/components/RoomPane";
import { DEFAULT_ROOM } from "@/lib/protocol";
import { currentUser, loginRedirectPath } from "@/lib/http/current-user";

export default async function GeneralPage() {
  if (!(await currentUser())) redirect(await loginRedirectPath());
  return <RoomPane target={{ kind: "room", name: DEFAULT_ROOM }} />;
}
