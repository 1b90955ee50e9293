"use client";
import { useEffect, useRef, type KeyboardEvent } from "react";
import { formatBytes } from "@/lib/client/uploads";
import type { FileInfo } from "@/lib/protocol";
import { DownloadIcon } from "./icons";

/** Tab and Shift+Tab cycle through the dialog's controls: a native modal lets Tab leave for the browser's UI. */
function trapTab(e: KeyboardEvent<HTMLDialogElement>): void {
  if (e.key !== "Tab") return;
  const controls = [...e.currentTarget.querySelectorAll<HTMLElement>("a[href], button")];
  const first = controls[0];
  const last = controls.at(-1);
  if (!first || !last) return;
  const edge = e.shiftKey ? first : last;
  if (document.activeElement === edge || !e.currentTarget.contains(document.activeElement)) {
    e.preventDefault();
    (e.shiftKey ? last : first).focus();
  }
}

/**
 * An image at full size over the page: a native modal <dialog>, so Escape closes it (focus then returns to
 * the thumbnail that opened it) and Tab stays inside. A click outside the image closes it too.
 */
export function Lightbox({ file, onClose }: { file: FileInfo; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    // showModal focuses the first control (Download); Close is what a keyboard user wants first
    close.current?.focus();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="lightbox"
      aria-label={file.name}
      data-testid="lightbox"
      onClose={onClose}
      onKeyDown={trapTab}
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <figure>
        <img src={file.url} alt={file.name} width={file.width} height={file.height} />
        <figcaption>
          <span className="lightbox-name">{file.name}</span>
          <span className="lightbox-size">{formatBytes(file.size)}</span>
          <a className="lightbox-action" href={file.url} download={file.name}>
            <DownloadIcon /> Download
          </a>
          <button ref={close} type="button" className="lightbox-action" onClick={onClose}>
            Close <span className="sr-only">(Esc)</span>
          </button>
        </figcaption>
      </figure>
    </dialog>
  );
}
