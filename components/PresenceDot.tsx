"use client";
import { useChatState } from "@/hooks/useChat";

/** Whether presence can be trusted: only while connected; otherwise nobody is known to be online. */
export const usePresenceKnown = (): boolean => useChatState((s) => s.connection === "live");

/**
 * A green (online) or hollow (offline) dot, with the words for screen readers; greyed while the app is
 * not connected, since who is online then is not known.
 */
export function PresenceDot({ online }: { online: boolean | undefined }) {
  const known = usePresenceKnown();
  const state = !known ? "unknown" : online ? "true" : "false";
  const label = !known ? "status unknown while reconnecting" : online ? "online" : "offline";
  return (
    <span className="presence" data-online={state} title={label}>
      <span className="sr-only">({label})</span>
    </span>
  );
}
