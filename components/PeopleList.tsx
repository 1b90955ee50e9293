"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useChat, useChatState } from "@/hooks/useChat";
import type { UserSummary } from "@/lib/protocol";
import { dmHref } from "@/lib/web/routes";
import { PresenceDot } from "./PresenceDot";

/**
 * Everyone else without a conversation yet, online first; a click opens the direct conversation. Offline
 * people fold away.
 */
export function PeopleList() {
  const { me } = useChat();
  const users = useChatState((s) => s.users);
  const rooms = useChatState((s) => s.rooms);
  const loaded = useChatState((s) => s.usersLoaded);
  const pathname = usePathname();
  if (!loaded) return <p className="side-empty">Loading…</p>;

  // someone with a conversation is listed under Direct messages (with presence): not twice
  const started = new Set(rooms.flatMap((r) => (r.peer ? [r.peer.toLowerCase()] : [])));
  const others = users
    .filter((u) => u.username.toLowerCase() !== me.toLowerCase() && !started.has(u.username.toLowerCase()))
    .sort((a, b) => a.username.localeCompare(b.username));
  const online = others.filter((u) => u.online);
  const offline = others.filter((u) => !u.online);
  const anyoneOnline = users.some((u) => u.online && u.username.toLowerCase() !== me.toLowerCase());
  const item = (u: UserSummary) => (
    <li key={u.username}>
      <Link
        href={dmHref(u.username)}
        className="conversation"
        aria-current={pathname === dmHref(u.username) ? "page" : undefined}
        title={u.online ? "online" : u.lastSeen ? `last seen ${new Date(u.lastSeen).toLocaleString()}` : "offline"}
      >
        <PresenceDot online={u.online} />
        <span className="label">{u.username}</span>
        {u.displayName ? <span className="handle">{u.displayName}</span> : null}
      </Link>
    </li>
  );

  return (
    <>
      {online.length > 0 ? (
        <ul className="conversations" aria-label="Online">
          {online.map(item)}
        </ul>
      ) : (
        <p className="side-empty">
          {anyoneOnline ? "Everyone online is under Direct messages." : "Nobody else is online."}
        </p>
      )}
      {offline.length > 0 ? (
        <details className="offline-people">
          <summary>Offline ({offline.length})</summary>
          <ul className="conversations" aria-label="Offline">
            {offline.map(item)}
          </ul>
        </details>
      ) : null}
    </>
  );
}
