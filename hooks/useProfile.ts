"use client";
// What the UI shows of a person: the users list (GET /api/users, kept current by user:updated and presence),
// else what a message said of its author when it was read.
import { createContext, useContext } from "react";
import type { Message, UserSummary } from "@/lib/protocol";
import { useChatState } from "./useChat";

// every message head looks its author up on every state change: one index per users list, not a scan each
const indexes = new WeakMap<readonly UserSummary[], Map<string, UserSummary>>();
function indexOf(users: readonly UserSummary[]): Map<string, UserSummary> {
  let index = indexes.get(users);
  if (!index) indexes.set(users, (index = new Map(users.map((u) => [u.username.toLowerCase(), u]))));
  return index;
}

/** A person's entry in the users list, or undefined before it is loaded (or for someone unknown). */
export function useUser(username: string): UserSummary | undefined {
  const key = username.toLowerCase();
  return useChatState((s) => indexOf(s.users).get(key));
}

export interface Shown {
  /** null: the username alone */
  displayName: string | null;
  avatarUrl: string | null;
}

/** The name and avatar to show for a message's author: the live profile when known, else the message's. */
export function useAuthor(message: Pick<Message, "username" | "displayName" | "avatarUrl">): Shown {
  const user = useUser(message.username);
  return {
    displayName: user?.displayName !== undefined ? user.displayName : (message.displayName ?? null),
    avatarUrl: user?.avatarUrl !== undefined ? user.avatarUrl : (message.avatarUrl ?? null),
  };
}

/** Opens the profile card of a username (provided by the chat shell). */
export const ProfileCardContext = createContext<(username: string) => void>(() => undefined);
export const useOpenProfile = (): ((username: string) => void) => useContext(ProfileCardContext);
