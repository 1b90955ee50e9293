"use client";
import { useId, useState, type ToggleEvent } from "react";
import { useChatState } from "@/hooks/useChat";
import { api } from "@/lib/web/api";
import { PresenceDot } from "./PresenceDot";

type Members = { state: "loading" } | { state: "ready"; names: string[] } | { state: "error"; detail: string };

/** "Members": a popover (Escape or a click outside closes it) listing who is in the room, fetched on opening. */
export function MembersButton({ room }: { room: string }) {
  const popoverId = useId();
  const users = useChatState((s) => s.users);
  const [members, setMembers] = useState<Members>({ state: "loading" });

  const onToggle = (e: ToggleEvent<HTMLDivElement>) => {
    if (e.newState !== "open") return;
    setMembers((m) => (m.state === "ready" ? m : { state: "loading" }));
    api.members(room).then(
      (names) => setMembers({ state: "ready", names }),
      (err: unknown) => setMembers({ state: "error", detail: err instanceof Error ? err.message : "failed" }),
    );
  };

  const online = new Set(users.filter((u) => u.online).map((u) => u.username));
  const names = members.state === "ready" ? members.names : [];

  return (
    <>
      <button type="button" className="ghost" popoverTarget={popoverId}>
        Members{members.state === "ready" ? ` (${names.length})` : ""}
      </button>
      <div id={popoverId} popover="auto" className="popover" onToggle={onToggle} aria-label="Members">
        <h2>Members of # {room}</h2>
        {members.state === "loading" ? <p className="muted">Loading…</p> : null}
        {members.state === "error" ? (
          <p className="inline-error" role="alert">
            {members.detail}
          </p>
        ) : null}
        <ul className="member-list">
          {[...names]
            .sort((a, b) => Number(online.has(b)) - Number(online.has(a)) || a.localeCompare(b))
            .map((name) => (
              <li key={name}>
                <PresenceDot online={online.has(name)} />
                {name}
              </li>
            ))}
        </ul>
      </div>
    </>
  );
}
