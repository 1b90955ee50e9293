"use client";
import { useState } from "react";
import { Modal } from "./Modal";

/** What is about to happen, asked before it does. */
export interface Confirmation {
  /** the dialog's title, a question: "Revoke invite #3?" */
  title: string;
  /** what it does, in a sentence or two */
  text: string;
  /** the confirming button's label: "Revoke" */
  action: string;
  /** does it; reports its own errors (the dialog closes once it settles) */
  run: () => Promise<void>;
}

/** An accessible confirmation (a modal dialog, Cancel focused first) for an action that is hard to undo. */
export function ConfirmDialog({ confirmation, onClose }: { confirmation: Confirmation | null; onClose: () => void }) {
  return (
    <Modal open={confirmation !== null} onClose={onClose} title={confirmation?.title ?? ""}>
      {confirmation ? <ConfirmBody confirmation={confirmation} onDone={onClose} /> : null}
    </Modal>
  );
}

function ConfirmBody({ confirmation, onDone }: { confirmation: Confirmation; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    await confirmation.run();
    onDone();
  };
  return (
    <>
      <p>{confirmation.text}</p>
      <div className="dialog-actions">
        <button type="button" className="ghost" onClick={onDone} autoFocus>
          Cancel
        </button>
        <button type="button" className="button danger" disabled={busy} onClick={() => void confirm()}>
          {confirmation.action}
        </button>
      </div>
    </>
  );
}
