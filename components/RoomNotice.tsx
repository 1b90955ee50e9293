"use client";
import Link from "next/link";
import { useState } from "react";
import { useChat } from "@/hooks/useChat";
import type { Timeline } from "@/lib/web/chat-state";
import type { ChatTarget } from "@/lib/web/routes";
import { Alert } from "./Alert";

/** In place of the messages: a room to join first, one that does not exist (for this user), or a failed load. */
export function RoomNotice({ target, timeline }: { target: ChatTarget; timeline: Timeline }) {
  const client = useChat();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const name = target.kind === "room" ? target.name : `@${target.peer}`;

  const join = async () => {
    setBusy(true);
    setError(null);
    const ack = await client.joinRoom(name);
    setBusy(false);
    if (!ack.ok) setError(ack.error.detail);
  };

  return (
    <div className="room-notice">
      {timeline.status === "forbidden" ? (
        <>
          <p>
            You are not in <strong># {name}</strong> yet.
          </p>
          <button type="button" className="button" disabled={busy} onClick={() => void join()}>
            Join # {name}
          </button>
        </>
      ) : timeline.status === "missing" ? (
        <p>
          There is no room named <strong>{name}</strong>, or it is private and you have not been invited.
        </p>
      ) : (
        <>
          <p role="alert">Could not load the messages: {timeline.error}</p>
          <button type="button" className="button" onClick={() => client.reload(target)}>
            Try again
          </button>
        </>
      )}
      <Alert error={error} />
    </div>
  );
}

/** `/dm/<name>` for an account that does not exist: said plainly, with no composer to type into in vain. */
export function NoSuchUser({ peer }: { peer: string }) {
  return (
    <div className="room-notice" data-testid="no-such-user">
      <p>
        There is no user named <strong>{peer}</strong>.
      </p>
      <p>Check the spelling, or pick someone under People.</p>
      <Link href="/" className="button">
        Back to # general
      </Link>
    </div>
  );
}
