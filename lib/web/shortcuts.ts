// The web UI's keyboard shortcuts: which key does what (the `?` sheet is printed from SHORTCUTS), where
// Alt+↑/↓ and Alt+Shift+↑/↓ lead in the sidebar's order, and the one request a shortcut makes of the
// message list (show the newest). The document listener that uses these is hooks/useShortcuts.ts.
import type { RoomSummary } from "../protocol";
import { roomKey } from "./routes";

export type ShortcutAction = "switcher" | "previous" | "next" | "previousUnread" | "nextUnread" | "latest" | "sheet";

/** What the sheet lists, in its order: keys as shown (Mod is Ctrl, or ⌘ on a Mac) and what they do. */
export const SHORTCUTS: readonly { keys: readonly string[]; does: string }[] = [
  { keys: ["Mod", "K"], does: "Jump to a room, direct message or person" },
  { keys: ["Mod", "F"], does: "Search messages (/ too, outside a text field)" },
  { keys: ["Alt", "↑"], does: "Previous conversation in the sidebar" },
  { keys: ["Alt", "↓"], does: "Next conversation in the sidebar" },
  { keys: ["Alt", "Shift", "↑"], does: "Previous conversation with unread messages" },
  { keys: ["Alt", "Shift", "↓"], does: "Next conversation with unread messages" },
  { keys: ["Esc"], does: "Mark the conversation read and scroll to the newest message" },
  { keys: ["↑"], does: "Edit your last message (in an empty message box)" },
  { keys: ["Esc"], does: "Cancel editing or replying (in the message box)" },
  { keys: ["Esc"], does: "Close the search results" },
  { keys: ["Enter"], does: "Send (Shift+Enter: a new line)" },
  { keys: ["?"], does: "This list of shortcuts (outside a text field)" },
];

/** The parts of a keyboard event a shortcut depends on. */
export interface KeyPress {
  key: string;
  altKey: boolean;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}

/** The action a key press asks for, or null. `inTextField`: focus is where typing goes (`?` types itself). */
export function shortcutOf(e: KeyPress, inTextField: boolean): ShortcutAction | null {
  const mod = e.ctrlKey || e.metaKey;
  if (mod && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "k") return "switcher";
  if (e.altKey && !mod && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
    const down = e.key === "ArrowDown";
    if (e.shiftKey) return down ? "nextUnread" : "previousUnread";
    return down ? "next" : "previous";
  }
  if (e.key === "Escape" && !mod && !e.altKey && !e.shiftKey) return "latest";
  if (e.key === "?" && !mod && !e.altKey && !inTextField) return "sheet";
  return null;
}

/** Whether typing at `el` enters text (so a bare `?` must not be taken from it). */
export function isTextField(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !["button", "checkbox", "radio", "submit", "reset"].includes(el.type);
  return el instanceof HTMLElement && el.isContentEditable;
}

/**
 * The conversation `step` places from the current one in `rooms` (the sidebar's order), not wrapping at the
 * ends; from a page that is not in the list (a DM not started), ↓ goes to the first and ↑ to the last.
 */
export function stepConversation(rooms: readonly RoomSummary[], current: string | null, step: 1 | -1) {
  const at = rooms.findIndex((r) => roomKey(r.name) === current);
  if (at === -1) return step === 1 ? rooms[0] : rooms.at(-1);
  return rooms[at + step];
}

/** The next (or previous) conversation with unread messages after the current one, wrapping around. */
export function stepUnread(rooms: readonly RoomSummary[], current: string | null, step: 1 | -1) {
  const n = rooms.length;
  const at = rooms.findIndex((r) => roomKey(r.name) === current);
  for (let i = 1; i <= n; i++) {
    const room = rooms[((((at === -1 && step === -1 ? 0 : at) + step * i) % n) + n) % n];
    if (room && room.unread > 0 && roomKey(room.name) !== current) return room;
  }
  return undefined;
}

// ---- "show the newest": Escape asks, the message list on screen does it ---------------------------------

const latestListeners = new Set<() => void>();

/** The message list on screen jumps to its newest message when asked (returns the unsubscribe). */
export function onShowLatest(listener: () => void): () => void {
  latestListeners.add(listener);
  return () => latestListeners.delete(listener);
}

export function showLatest(): void {
  for (const listener of latestListeners) listener();
}
