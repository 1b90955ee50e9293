"use client";
import { useEffect, useId, useRef, type ReactNode } from "react";

interface Props {
  open: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
}

/**
 * A native modal <dialog>: focus moves in and is kept there, Escape closes it, focus returns to the opener.
 * The content is mounted only while open, so every opening starts afresh.
 */
export function Modal({ open, onClose, title, children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      className="modal"
      aria-labelledby={titleId}
      // a dialog opened inside this one (a confirmation) closes with its own event: React passes it up the tree
      onClose={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
      // a click on the backdrop lands on the dialog element itself
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div className="modal-body">
        <h2 id={titleId}>{title}</h2>
        {open ? children : null}
      </div>
    </dialog>
  );
}
