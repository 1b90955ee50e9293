"use client";
import { useEffect } from "react";
import { isTextField } from "@/lib/web/shortcuts";
import { overlayOpen } from "./useShortcuts";

/**
 * While `open`, Esc calls `close` from anywhere outside a text field (a text field has its own Esc: the search
 * box's, the composer's cancel), and only that: it is taken before the message list's own Esc (mark read, show
 * the newest), which would scroll a message just jumped to out of view. A dialog, popover or picker keeps its Esc.
 */
export function useEscapeCloses(open: boolean, close: () => void): void {
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || e.isComposing || isTextField(document.activeElement) || overlayOpen()) return;
      e.preventDefault();
      close();
    };
    document.addEventListener("keydown", onKey, true);
    return () => document.removeEventListener("keydown", onKey, true);
  }, [open, close]);
}
