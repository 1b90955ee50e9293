"use client";
// The chat's live state: one socket for the page's life, listeners registered once, gap fill on reconnect,
// and an outbox that retries unacknowledged sends with the same clientId until the server confirms them.
import { useCallback, useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import {
  LIMITS,
  type Ack,
  SOCKET_PATH,
  type ClientToServerEvents,
  type Message,
  type MessagesResponse,
  type ServerToClientEvents,
} from "@/lib/protocol";
import { lastId, mergeMessages, newClientId, settleOutgoing, type Outgoing } from "@/lib/web/timeline";

export type ConnectionState = "connecting" | "live" | "reconnecting" | "offline";
type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const ACK_TIMEOUT_MS = 5000;

async function fetchAfter(after: number): Promise<Message[]> {
  const res = await fetch(`/api/messages?after=${after}&limit=${LIMITS.pageMax}`, { credentials: "same-origin" });
  if (!res.ok) throw new Error(`history request failed (${res.status})`);
  return ((await res.json()) as MessagesResponse).messages;
}

export function useChat(onUnauthorized: () => void) {
  const [messages, setMessages] = useState<Message[]>([]);
  const [outgoing, setOutgoing] = useState<Outgoing[]>([]);
  const [connection, setConnection] = useState<ConnectionState>("connecting");
  const [error, setError] = useState<string | null>(null);
  const socketRef = useRef<ChatSocket | null>(null);
  const lastIdRef = useRef<number | undefined>(undefined);
  const outgoingRef = useRef<Outgoing[]>([]);
  const unauthorizedRef = useRef(onUnauthorized);
  useEffect(() => {
    unauthorizedRef.current = onUnauthorized;
  }, [onUnauthorized]);

  const receive = useCallback((incoming: Message[]) => {
    if (incoming.length === 0) return;
    setMessages((current) => {
      const next = mergeMessages(current, incoming);
      lastIdRef.current = lastId(next);
      return next;
    });
    outgoingRef.current = settleOutgoing(outgoingRef.current, incoming);
    setOutgoing(outgoingRef.current);
  }, []);

  const updateOutgoing = useCallback((clientId: string, patch: Partial<Outgoing> | null) => {
    outgoingRef.current = patch
      ? outgoingRef.current.map((o) => (o.clientId === clientId ? { ...o, ...patch } : o))
      : outgoingRef.current.filter((o) => o.clientId !== clientId);
    setOutgoing(outgoingRef.current);
  }, []);

  const deliver = useCallback(
    async (item: Outgoing) => {
      const socket = socketRef.current;
      if (!socket?.connected) return; // retried on the next connect
      try {
        const ack = (await socket
          .timeout(ACK_TIMEOUT_MS)
          .emitWithAck("message:send", { content: item.content, clientId: item.clientId })) as Ack<{
          message: Message;
        }>;
        if (ack.ok) receive([ack.message]);
        else updateOutgoing(item.clientId, { state: "failed", error: ack.error.detail });
      } catch {
        // no ack in time: still "sending"; the next connect retries with the same clientId
      }
    },
    [receive, updateOutgoing],
  );

  useEffect(() => {
    const socket: ChatSocket = io({
      path: SOCKET_PATH,
      withCredentials: true,
      // evaluated at every (re)connect: the server then sends exactly what we missed
      auth: (cb) => cb(lastIdRef.current === undefined ? {} : { lastMessageId: lastIdRef.current }),
    });
    socketRef.current = socket;

    socket.on("connect", () => {
      setConnection("live");
      setError(null);
      for (const item of outgoingRef.current) if (item.state === "sending") void deliver(item);
    });
    socket.on("disconnect", (reason) => {
      setConnection(reason === "io client disconnect" ? "offline" : "reconnecting");
      if (reason === "io server disconnect") unauthorizedRef.current(); // session ended (logout elsewhere)
    });
    socket.on("connect_error", (err) => {
      if (err.message === "unauthorized") {
        unauthorizedRef.current();
        return;
      }
      setConnection(socket.active ? "reconnecting" : "offline");
    });
    socket.on("history", ({ messages: batch, truncated }) => {
      receive(batch);
      if (!truncated) return;
      // more was missed than the server sends at once: page the rest over REST
      void (async () => {
        for (let after = lastId(batch) ?? 0; ;) {
          const page = await fetchAfter(after);
          receive(page);
          if (page.length < LIMITS.pageMax) break;
          after = lastId(page) ?? after;
        }
      })().catch(() => setError("Could not load every missed message; reload to retry"));
    });
    socket.on("message:new", (m) => receive([m]));
    socket.on("error", ({ detail }) => setError(detail));

    return () => {
      socket.removeAllListeners();
      socket.disconnect();
      socketRef.current = null;
    };
  }, [deliver, receive]);

  const send = useCallback(
    (content: string) => {
      const item: Outgoing = { clientId: newClientId(), content, state: "sending" };
      outgoingRef.current = [...outgoingRef.current, item];
      setOutgoing(outgoingRef.current);
      void deliver(item);
    },
    [deliver],
  );

  const retry = useCallback(
    (clientId: string) => {
      const item = outgoingRef.current.find((o) => o.clientId === clientId);
      if (!item) return;
      updateOutgoing(clientId, { state: "sending", error: undefined });
      void deliver({ ...item, state: "sending" });
    },
    [deliver, updateOutgoing],
  );

  const discard = useCallback((clientId: string) => updateOutgoing(clientId, null), [updateOutgoing]);

  return { messages, outgoing, connection, error, send, retry, discard, dismissError: () => setError(null) };
}
