// Unsent text per conversation, kept for the life of the tab (sessionStorage): switching rooms or reloading
// the page does not lose what was typed. Keyed by user too, so another login in the tab starts clean.
const PREFIX = "chatterbox:draft:";

const storage = (): Storage | undefined => {
  try {
    return typeof window === "undefined" ? undefined : window.sessionStorage;
  } catch {
    return undefined; // storage disabled: drafts live only as long as the composer
  }
};

export function loadDraft(key: string): string {
  try {
    return storage()?.getItem(PREFIX + key) ?? "";
  } catch {
    return "";
  }
}

export function saveDraft(key: string, text: string): void {
  try {
    if (text.trim()) storage()?.setItem(PREFIX + key, text);
    else storage()?.removeItem(PREFIX + key);
  } catch {
    // full or disabled: the draft stays in the composer only
  }
}

/** On logout: nothing typed by this user stays in the tab. */
export function clearDrafts(): void {
  const s = storage();
  if (!s) return;
  try {
    for (const key of Object.keys(s)) if (key.startsWith(PREFIX)) s.removeItem(key);
  } catch {
    // nothing to clear
  }
}
