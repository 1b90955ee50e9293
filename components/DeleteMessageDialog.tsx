"use client";
import { useChat } from "@/hooks/useChat";
import { useAckAction } from "@/hooks/useAckAction";
import type { Message } from "@/lib/protocol";
import { Alert } from "./Alert";
import { Modal } from "./Modal";
import { firstLine } from "./ReplyQuote";

/** "Delete message?": asks before deleting one's own message (for everyone; it cannot be undone). */
export function DeleteMessageDialog({ message, onClose }: { message: Message | null; onClose: () => void }) {
  return (
    <Modal open={message !== null} onClose={onClose} title="Delete message?">
      {message ? <DeleteMessageForm message={message} onDone={onClose} /> : null}
    </Modal>
  );
}

function DeleteMessageForm({ message, onDone }: { message: Message; onDone: () => void }) {
  const client = useChat();
  const { run, error, busy } = useAckAction();
  const remove = async () => {
    if (await run(() => client.deleteMessage(message.id))) onDone();
  };
  return (
    <>
      <p>It will be removed for everyone in the conversation. This cannot be undone.</p>
      <blockquote className="delete-preview">{firstLine(message.content)}</blockquote>
      <Alert error={error} />
      <div className="dialog-actions">
        <button type="button" className="ghost" onClick={onDone} autoFocus>
          Cancel
        </button>
        <button type="button" className="button danger" disabled={busy} onClick={() => void remove()}>
          Delete
        </button>
      </div>
    </>
  );
}
