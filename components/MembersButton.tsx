"use client";
import { useEffect, useId, useState, type ToggleEvent } from "react";
import { useChat, useChatState } from "@/hooks/useChat";
import { roomKey } from "@/lib/web/routes";
import { PeopleIcon } from "./icons";
import { PresenceDot } from "./PresenceDot";

/**
 * "Members (n)": a popover (Escape or a click outside closes it) listing who is in the room. The list is
 * fetched when the room opens, so the count shows at once; room:member events keep it current, and each
 * opening fetches it again. One instance per room (keyed by it).
 */
export function MembersButton({ room }: { room: string }) {
  const client = useChat();
  const popoverId = useId();
  const users = useChatState((s) => s.users);
  const names = useChatState((s) => s.members[roomKey(room)]);
  const label = `Members${names ? ` (${names.length})` : ""}`;
  const [error, setError] = useState<string | null>(null);

  // fetched when missing: on opening the room, and again after a reconnect dropped the lists
  const missing = names === undefined;
  useEffect(() => {
    if (!missing) return;
    const abort = new AbortController();
    client.loadMembers(room, abort.signal).then(
      () => setError(null),
      (err: unknown) => {
        if (!abort.signal.aborted) setError(err instanceof Error ? err.message : "failed");
      },
    );
    return () => abort.abort();
  }, [client, room, missing]);

  const onToggle = (e: ToggleEvent<HTMLDivElement>) => {
    if (e.newState !== "open") return;
    client.loadMembers(room).then(
      () => setError(null),
      (err: unknown) => setError(err instanceof Error ? err.message : "failed"),
    );
  };

  const online = new Set(users.filter((u) => u.online).map((u) => u.username));
  const displayNames = new Map(users.map((u) => [u.username, u.displayName]));

  return (
    <>
      <button type="button" className="ghost icon-text" popoverTarget={popoverId} aria-label={label}>
        <PeopleIcon />
        {/* a phone shows the icon and the count */}
        <span className="narrow-hidden">{label}</span>
        {names ? <span className="narrow-only">{names.length}</span> : null}
      </button>
      <div id={popoverId} popover="auto" className="popover" onToggle={onToggle} aria-label="Members">
        <h2>Members of # {room}</h2>
        {!names && !error ? <p className="muted">Loading…</p> : null}
        {error ? (
          <p className="inline-error" role="alert">
            {error}
          </p>
        ) : null}
        <ul className="member-list">
          {[...(names ?? [])]
            .sort((a, b) => Number(online.has(b)) - Number(online.has(a)) || a.localeCompare(b))
            .map((name) => (
              <li key={name}>
                <PresenceDot online={online.has(name)} />
                {name}
                {displayNames.get(name) ? <span className="handle">{displayNames.get(name)}</span> : null}
              </li>
            ))}
        </ul>
      </div>
    </>
  );
}
