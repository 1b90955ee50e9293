"use client";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import { messageIdOfHash, messageIdOfSearch } from "@/lib/web/routes";

/** How long a message jumped to stays highlighted */
const FLASH_MS = 1600;

/** After a state change, the frame in which React has put it on screen. */
const painted = () =>
  new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));

/**
 * Jumps to a message in a list (`[data-id]` items): loads it first when it is not held (`load` resolves
 * with whether it now is), scrolls it to the middle, focuses it and flashes it. The message the page's URL
 * names (`#m<id>`, or `?m=<id>` as a notification links) is jumped to once the list is `ready`, and again
 * whenever the URL names another.
 */
export function useJumpToMessage(
  list: RefObject<HTMLElement | null>,
  load: (id: number) => Promise<boolean>,
  ready: boolean,
  /** called just before scrolling: the list stops following the newest message */
  onLeave: () => void,
) {
  const [flash, setFlash] = useState<number | null>(null);
  const latest = useRef({ load, onLeave });
  useEffect(() => {
    latest.current = { load, onLeave };
  }, [load, onLeave]);

  const jump = useCallback(
    async (id: number) => {
      if (!(await latest.current.load(id))) return;
      await painted();
      const item = list.current?.querySelector<HTMLElement>(`[data-id="${id}"]`);
      if (!item) return;
      latest.current.onLeave();
      item.scrollIntoView({ block: "center" });
      item.focus({ preventScroll: true });
      setFlash(id);
    },
    [list],
  );

  useEffect(() => {
    if (flash === null) return;
    const timer = setTimeout(() => setFlash(null), FLASH_MS);
    return () => clearTimeout(timer);
  }, [flash]);

  // a link to a message (`/r/dev#m42`, `/r/dev?m=42`): once the conversation is loaded, and on every change
  // of the hash or of the query (a notification clicked while this room is open)
  const query = useSearchParams().get("m");
  const jumpedToHash = useRef<string | null>(null);
  useEffect(() => {
    if (!ready) return;
    const follow = () => {
      const named = `${query ?? ""}${window.location.hash}`;
      const id = linkedMessage();
      if (id === null || jumpedToHash.current === named) return;
      jumpedToHash.current = named;
      void jump(id);
    };
    follow();
    const onChange = () => {
      jumpedToHash.current = null;
      follow();
    };
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, [ready, jump, query]);

  return { jump, flash };
}

/** The message the page's URL names (`#m<id>`, else `?m=<id>`), or null. */
export function linkedMessage(): number | null {
  return messageIdOfHash(window.location.hash) ?? messageIdOfSearch(window.location.search);
}
