"use client";
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { useChat } from "@/hooks/useChat";
import { LIMITS } from "@/lib/protocol";
import { roomHref } from "@/lib/web/routes";
import { Modal } from "./Modal";
import { Alert } from "./Alert";

/** "+" next to the Rooms heading: a dialog asking for a name and whether the room is private. */
export function CreateRoomButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="icon-button" onClick={() => setOpen(true)} title="Create a room">
        <span aria-hidden="true">+</span>
        <span className="sr-only">Create a room</span>
      </button>
      <Modal open={open} onClose={() => setOpen(false)} title="Create a room">
        <CreateRoomForm onDone={() => setOpen(false)} />
      </Modal>
    </>
  );
}

function CreateRoomForm({ onDone }: { onDone: () => void }) {
  const client = useChat();
  const router = useRouter();
  const nameId = useId();
  const hintId = useId();
  const [name, setName] = useState("");
  const [isPrivate, setPrivate] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const ack = await client.createRoom(name.trim(), isPrivate);
    setBusy(false);
    if (!ack.ok) {
      setError(ack.error.detail);
      return;
    }
    onDone();
    router.push(roomHref(ack.room.name));
  };

  return (
    <form onSubmit={(e) => void submit(e)}>
      <div className="field">
        <label htmlFor={nameId}>Room name</label>
        <input
          id={nameId}
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-describedby={hintId}
          autoComplete="off"
          autoFocus
          required
        />
        <span className="hint" id={hintId}>
          Letters, digits, “-” and “_”, up to {LIMITS.roomNameMax}.
        </span>
      </div>
      <label className="check">
        <input type="checkbox" checked={isPrivate} onChange={(e) => setPrivate(e.target.checked)} />
        Private: only people you invite can find and join it
      </label>
      <Alert error={error} />
      <div className="dialog-actions">
        <button type="button" className="ghost" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button" disabled={busy}>
          Create
        </button>
      </div>
    </form>
  );
}
