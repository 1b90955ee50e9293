"use client";
import { useEffect } from "react";
import { attentionCount, badgedIconUrl, titleWithCount } from "@/lib/web/attention";
import { useChatState } from "./useChat";

const ICON_ID = "attention-icon";

/** Keeps document.title's "(N) " prefix and a badged favicon in step with unread mentions and DMs. */
export function useTabAttention(): void {
  const count = useChatState((s) => attentionCount(s.rooms));

  useEffect(() => {
    const apply = () => {
      const next = titleWithCount(document.title, count);
      if (next !== document.title) document.title = next;
    };
    apply();
    // Next sets each page's title on navigation: the prefix goes back on whenever it does
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { subtree: true, childList: true, characterData: true });
    return () => {
      observer.disconnect();
      document.title = titleWithCount(document.title, 0);
    };
  }, [count]);

  useEffect(() => {
    if (count === 0) return;
    // the last icon link wins: ours goes after Next's and is removed to restore it
    const link = document.createElement("link");
    link.id = ICON_ID;
    link.rel = "icon";
    link.type = "image/svg+xml";
    link.href = badgedIconUrl(count);
    document.getElementById(ICON_ID)?.remove();
    document.head.appendChild(link);
    return () => link.remove();
  }, [count]);
}
