// Unsent text per conversation, kept for the life of the tab: switching rooms or reloading the page does not
// lose what was typed. A small external store (for useSyncExternalStore) over a Map, written through to
// sessionStorage when the browser allows it. Keys include the user, so another login in the tab starts clean.
const PREFIX = "chatterbox:draft:";
const drafts = new Map<string, string>();
const listeners = new Set<() => void>();
let loaded = false;

function storage(): Storage | undefined {
  try {
    return typeof window === "undefined" ? undefined : window.sessionStorage;
  } catch {
    return undefined; // storage disabled: drafts live in memory only
  }
}

function load(): void {
  if (loaded) return;
  loaded = true;
  const s = storage();
  try {
    for (const key of s ? Object.keys(s) : []) {
      if (key.startsWith(PREFIX)) drafts.set(key.slice(PREFIX.length), s?.getItem(key) ?? "");
    }
  } catch {
    // unreadable: start empty
  }
}

export function subscribeDrafts(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getDraft(key: string): string {
  load();
  return drafts.get(key) ?? "";
}

export function setDraft(key: string, text: string): void {
  load();
  if (text) drafts.set(key, text);
  else drafts.delete(key);
  try {
    if (text) storage()?.setItem(PREFIX + key, text);
    else storage()?.removeItem(PREFIX + key);
  } catch {
    // full or disabled: kept in memory only
  }
  listeners.forEach((l) => l());
}

/** On logout: nothing typed by this user stays in the tab. */
export function clearDrafts(): void {
  for (const key of [...drafts.keys()]) setDraft(key, "");
  const s = storage();
  try {
    for (const key of s ? Object.keys(s) : []) if (key.startsWith(PREFIX)) s?.removeItem(key);
  } catch {
    // nothing more to clear
  }
}
