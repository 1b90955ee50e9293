"use client";
import { useId, useState, type FormEvent } from "react";
import { useChat, useChatState } from "@/hooks/useChat";
import { InviteIcon } from "./icons";
import { Modal } from "./Modal";
import { Alert } from "./Alert";

/** "Invite" in a private room's header: add someone by username. */
export function InviteButton({ room }: { room: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="ghost icon-text" aria-label="Invite" onClick={() => setOpen(true)}>
        <InviteIcon />
        <span className="narrow-hidden">Invite</span>
      </button>
      <Modal open={open} onClose={() => setOpen(false)} title={`Invite to # ${room}`}>
        <InviteForm room={room} onDone={() => setOpen(false)} />
      </Modal>
    </>
  );
}

function InviteForm({ room, onDone }: { room: string; onDone: () => void }) {
  const client = useChat();
  const users = useChatState((s) => s.users);
  const inputId = useId();
  const listId = useId();
  const [username, setUsername] = useState("");
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const who = username.trim();
    setBusy(true);
    setResult(null);
    const ack = await client.invite(room, who);
    setBusy(false);
    if (!ack.ok) {
      setResult({ ok: false, text: ack.error.detail });
      return;
    }
    setResult({ ok: true, text: `${who} is now in # ${room}.` });
    setUsername("");
  };

  return (
    <form onSubmit={(e) => void submit(e)}>
      <div className="field">
        <label htmlFor={inputId}>Username</label>
        <input
          id={inputId}
          list={listId}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          autoComplete="off"
          autoFocus
          required
        />
        <datalist id={listId}>
          {users
            .filter((u) => u.username !== client.me)
            .map((u) => (
              <option key={u.username} value={u.username} />
            ))}
        </datalist>
      </div>
      <Alert error={result && !result.ok ? result.text : null} success={result?.ok ? result.text : null} />
      <div className="dialog-actions">
        <button type="button" className="ghost" onClick={onDone}>
          Close
        </button>
        <button type="submit" className="button" disabled={busy}>
          Invite
        </button>
      </div>
    </form>
  );
}
