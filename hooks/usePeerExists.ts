"use client";
import { useEffect } from "react";
import type { RoomSummary } from "@/lib/protocol";
import type { ChatTarget } from "@/lib/web/routes";
import { useChat, useChatState } from "./useChat";

/**
 * False when `/dm/<name>` names nobody: no conversation with them and no such account in the people list.
 * The list is fetched again once, in case the account is newer than the list.
 */
export function usePeerExists(target: ChatTarget, room: RoomSummary | undefined): boolean {
  const client = useChat();
  const users = useChatState((s) => s.users);
  const loaded = useChatState((s) => s.usersLoaded);
  const peer = target.kind === "dm" ? target.peer.toLowerCase() : null;
  const missing =
    peer !== null &&
    !room &&
    loaded &&
    peer !== client.me.toLowerCase() &&
    !users.some((u) => u.username.toLowerCase() === peer);
  useEffect(() => {
    if (missing) client.refreshUsers();
  }, [client, missing]);
  return !missing;
}
