"use client";
import { useChatState } from "@/hooks/useChat";
import { DEFAULT_ROOM, type RoomSummary, type UserSummary } from "@/lib/protocol";
import { roomKey, targetTitle, type ChatTarget } from "@/lib/web/routes";
import { HooksButton } from "./HooksDialog";
import { InviteButton } from "./InviteDialog";
import { LeaveRoomButton } from "./LeaveRoomDialog";
import { MembersButton } from "./MembersButton";
import { RoomNotificationsButton } from "./NotificationsButton";
import { PresenceDot, usePresenceKnown } from "./PresenceDot";

/** The room's name (or "@peer"), who is in it, and what the user can do with it. */
export function RoomHeader({ target, room }: { target: ChatTarget; room: RoomSummary | undefined }) {
  const users = useChatState((s) => s.users);
  const known = usePresenceKnown();
  const title = room ? (room.peer ? `@${room.peer}` : `# ${room.name}`) : targetTitle(target);
  const peer =
    target.kind === "dm" ? users.find((u) => u.username.toLowerCase() === target.peer.toLowerCase()) : undefined;
  const leavable = room && room.kind === "room" && roomKey(room.name) !== DEFAULT_ROOM;

  return (
    <header className="room-header">
      <h1 className="room-title">
        {room?.private && room.kind === "room" ? <span className="sr-only">Private room </span> : null}
        <span className="room">{title}</span>
      </h1>
      {target.kind === "dm" ? (
        <span className="peer-presence">
          <PresenceDot online={peer?.online} />
          <span aria-hidden="true">{presenceText(peer, known)}</span>
        </span>
      ) : null}
      <span className="spacer" />
      {room ? <RoomNotificationsButton room={room} /> : null}
      {room && room.kind === "room" ? <MembersButton key={room.name} room={room.name} /> : null}
      {room?.private && room.kind === "room" ? <InviteButton room={room.name} /> : null}
      {room && room.kind === "room" ? <HooksButton room={room.name} /> : null}
      {leavable ? <LeaveRoomButton room={room.name} /> : null}
    </header>
  );
}

function presenceText(peer: UserSummary | undefined, known: boolean): string {
  if (!known) return "status unknown";
  if (peer?.online) return "online";
  return peer?.lastSeen ? `last seen ${new Date(peer.lastSeen).toLocaleString()}` : "offline";
}
