"use client";
// React's view of the chat client: one ChatClient (and so one socket) per chat layout, shared through
// context; components read slices of its state with useChatState.
import { createContext, useContext, useEffect, useRef, useState, useSyncExternalStore } from "react";
import { ChatClient } from "@/lib/web/chat-client";
import type { ChatState } from "@/lib/web/chat-state";

export type { ConnectionState } from "@/lib/web/chat-state";

export const ChatContext = createContext<ChatClient | null>(null);

/** Creates the client and keeps its socket open while the calling component is mounted. */
export function useChatConnection(username: string, onUnauthorized: () => void): ChatClient {
  const [client] = useState(() => new ChatClient(username));
  const unauthorized = useRef(onUnauthorized);
  useEffect(() => {
    unauthorized.current = onUnauthorized;
  }, [onUnauthorized]);
  useEffect(() => client.start(() => unauthorized.current()), [client]);
  return client;
}

export function useChat(): ChatClient {
  const client = useContext(ChatContext);
  if (!client) throw new Error("useChat must be used inside the chat layout");
  return client;
}

/** A slice of the chat state; `select` must return something already in the state (not a new object). */
export function useChatState<T>(select: (state: ChatState) => T): T {
  const { store } = useChat();
  const read = () => select(store.getState());
  return useSyncExternalStore(store.subscribe, read, read);
}
