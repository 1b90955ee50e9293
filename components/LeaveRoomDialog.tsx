"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useChat } from "@/hooks/useChat";
import { DEFAULT_ROOM } from "@/lib/protocol";
import { roomHref } from "@/lib/web/routes";
import { LeaveIcon } from "./icons";
import { Modal } from "./Modal";
import { Alert } from "./Alert";

/** "Leave" in a room's header (not general, not DMs), confirmed in a dialog. */
export function LeaveRoomButton({ room }: { room: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="ghost icon-text" aria-label="Leave" onClick={() => setOpen(true)}>
        <LeaveIcon />
        <span className="narrow-hidden">Leave</span>
      </button>
      <Modal open={open} onClose={() => setOpen(false)} title={`Leave # ${room}?`}>
        <LeaveRoomForm room={room} onDone={() => setOpen(false)} />
      </Modal>
    </>
  );
}

function LeaveRoomForm({ room, onDone }: { room: string; onDone: () => void }) {
  const client = useChat();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const leave = async () => {
    setBusy(true);
    setError(null);
    const ack = await client.leaveRoom(room);
    setBusy(false);
    if (!ack.ok) {
      setError(ack.error.detail);
      return;
    }
    onDone();
    router.push(roomHref(DEFAULT_ROOM));
  };

  return (
    <>
      <p>You will stop getting its messages. You can come back later, unless it is private.</p>
      <Alert error={error} />
      <div className="dialog-actions">
        <button type="button" className="ghost" onClick={onDone} autoFocus>
          Cancel
        </button>
        <button type="button" className="button danger" disabled={busy} onClick={() => void leave()}>
          Leave
        </button>
      </div>
    </>
  );
}
