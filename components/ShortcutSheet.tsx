"use client";
import { useSyncExternalStore } from "react";
import { SHORTCUTS } from "@/lib/web/shortcuts";
import { Modal } from "./Modal";
import styles from "./shortcuts.module.css";

const noChange = () => () => undefined;
/** ⌘ on Apple platforms, Ctrl elsewhere (and while rendering on the server). */
const modKey = () => (/Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent) ? "⌘" : "Ctrl");
/** The modifier of the shortcuts as this platform names it ("Mod" in lib/web/shortcuts.ts). */
export const useModKey = (): string => useSyncExternalStore(noChange, modKey, () => "Ctrl");

/** `?`: every keyboard shortcut, from the one table in lib/web/shortcuts.ts. */
export function ShortcutSheet({ open, onClose }: { open: boolean; onClose: () => void }) {
  const mod = useModKey();
  return (
    <Modal open={open} onClose={onClose} title="Keyboard shortcuts">
      <table className={styles.sheet}>
        <tbody>
          {SHORTCUTS.map(({ keys, does }) => (
            <tr key={`${keys.join("+")} ${does}`}>
              <td>
                {keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 ? " + " : null}
                    <kbd>{k === "Mod" ? mod : k}</kbd>
                  </span>
                ))}
              </td>
              <td>{does}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="dialog-actions">
        <button type="button" className="ghost" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </Modal>
  );
}
