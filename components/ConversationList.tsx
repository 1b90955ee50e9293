"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useChat, useChatState } from "@/hooks/useChat";
import type { RoomSummary } from "@/lib/protocol";
import { roomKey, summaryHref, targetKey, targetOf } from "@/lib/web/routes";
import { HashIcon, LockIcon } from "./icons";
import { PresenceDot } from "./PresenceDot";
import { MentionBadge, UnreadBadge } from "./UnreadBadge";

/** The key of the conversation on screen, from the URL. */
function useCurrentKey(): string | null {
  const { me } = useChat();
  const target = targetOf(usePathname());
  return target ? targetKey(target, me) : null;
}

function ConversationLink({ room, current, online }: { room: RoomSummary; current: boolean; online?: boolean }) {
  return (
    <li>
      <Link
        href={summaryHref(room)}
        className="conversation"
        aria-current={current ? "page" : undefined}
        data-unread={room.unread > 0 ? "true" : undefined}
        data-mentions={!current && room.mentions > 0 ? "true" : undefined}
        data-room={room.name}
      >
        {room.peer ? (
          <PresenceDot online={online} />
        ) : (
          <span className="glyph" aria-hidden="true">
            {room.private ? <LockIcon /> : <HashIcon />}
          </span>
        )}
        <span className="label">{room.peer ?? room.name}</span>
        {room.private && !room.peer ? <span className="sr-only">(private)</span> : null}
        {/* in a DM every unread message is for you: its count is the attention colour, with no @ badge */}
        {room.peer ? null : <MentionBadge count={current ? 0 : room.mentions} />}
        <UnreadBadge count={current ? 0 : room.unread} urgent={Boolean(room.peer)} />
      </Link>
    </li>
  );
}

export function RoomList() {
  const rooms = useChatState((s) => s.rooms);
  const loaded = useChatState((s) => s.roomsLoaded);
  const current = useCurrentKey();
  const list = rooms.filter((r) => r.kind === "room");
  if (!loaded && list.length === 0) return <p className="side-empty">Loading…</p>;
  return (
    <ul className="conversations" aria-label="Your rooms">
      {list.map((r) => (
        <ConversationLink key={r.name} room={r} current={roomKey(r.name) === current} />
      ))}
    </ul>
  );
}

export function DirectMessageList() {
  const rooms = useChatState((s) => s.rooms);
  const users = useChatState((s) => s.users);
  const current = useCurrentKey();
  const dms = rooms.filter((r) => r.kind === "dm");
  if (dms.length === 0) return <p className="side-empty">Pick someone under People to start one.</p>;
  const online = new Set(users.filter((u) => u.online).map((u) => u.username.toLowerCase()));
  return (
    <ul className="conversations" aria-label="Your direct messages">
      {dms.map((r) => (
        <ConversationLink
          key={r.name}
          room={r}
          current={roomKey(r.name) === current}
          online={online.has((r.peer ?? "").toLowerCase())}
        />
      ))}
    </ul>
  );
}
