"use client";
// The message list's density, remembered per browser (localStorage) and shared by every tab through the
// storage event; the server renders the default.
import { useCallback, useSyncExternalStore } from "react";

export type Density = "comfortable" | "compact";
const KEY = "chatterbox:density";
const listeners = new Set<() => void>();
/** the choice when storage is disabled: kept for this page only */
let unsaved: Density | null = null;

function read(): Density {
  try {
    return localStorage.getItem(KEY) === "compact" ? "compact" : "comfortable";
  } catch {
    return unsaved ?? "comfortable";
  }
}

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  window.addEventListener("storage", onChange);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener("storage", onChange);
  };
}

export function useDensity(): [Density, (next: Density) => void] {
  const density = useSyncExternalStore(subscribe, read, () => "comfortable" as const);
  const set = useCallback((next: Density) => {
    try {
      localStorage.setItem(KEY, next);
    } catch {
      unsaved = next;
    }
    for (const l of listeners) l();
  }, []);
  return [density, set];
}
