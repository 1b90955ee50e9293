"use client";
import Link from "next/link";
import { useUser } from "@/hooks/useProfile";
import { useChat } from "@/hooks/useChat";
import { useNow } from "@/hooks/useNow";
import { dmHref } from "@/lib/web/routes";
import { Avatar } from "./Avatar";
import { Modal } from "./Modal";
import { PresenceDot } from "./PresenceDot";

/** "online", "last seen 5 minutes ago", or "offline" (never connected). */
function presenceText(online: boolean, lastSeen: string | null, now: number): string {
  if (online) return "Online";
  if (!lastSeen) return "Offline";
  const minutes = Math.max(0, Math.round((now - Date.parse(lastSeen)) / 60_000));
  if (minutes < 1) return "Last seen just now";
  if (minutes < 60) return `Last seen ${minutes} minute${minutes === 1 ? "" : "s"} ago`;
  return `Last seen ${new Date(lastSeen).toLocaleString()}`;
}

/** A person's card: avatar, name, status, presence, and a way to message them (or edit one's own). */
export function ProfileCard({ username, onClose }: { username: string | null; onClose: () => void }) {
  return (
    <Modal open={username !== null} onClose={onClose} title="Profile">
      {username ? <CardBody username={username} onClose={onClose} /> : null}
    </Modal>
  );
}

function CardBody({ username, onClose }: { username: string; onClose: () => void }) {
  const { me } = useChat();
  const user = useUser(username);
  const now = useNow(30_000);
  const own = username.toLowerCase() === me.toLowerCase();
  const name = user?.displayName ?? null;
  return (
    <div className="profile-card" data-testid="profile-card">
      <Avatar username={username} url={user?.avatarUrl} px={96} className="avatar profile-avatar" />
      <div className="profile-names">
        <strong className="profile-name">{name ?? username}</strong>
        {name ? <span className="handle">@{username}</span> : null}
      </div>
      {user?.status ? <p className="profile-status">{user.status}</p> : null}
      <p className="profile-presence">
        <PresenceDot online={user?.online ?? false} />
        {presenceText(user?.online ?? false, user?.lastSeen ?? null, now)}
      </p>
      <div className="dialog-actions">
        <button type="button" className="ghost" onClick={onClose}>
          Close
        </button>
        {own ? (
          <Link className="primary" href="/settings" onClick={onClose}>
            Edit profile
          </Link>
        ) : (
          <Link className="primary" href={dmHref(username)} onClick={onClose}>
            Message
          </Link>
        )}
      </div>
    </div>
  );
}
