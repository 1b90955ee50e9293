"use client";
import { useLayoutEffect, useRef, useState } from "react";
import type { Message } from "@/lib/protocol";
import type { Outgoing } from "@/lib/web/timeline";
import { MessageItem, OutgoingItem } from "./MessageItem";

const NEAR_BOTTOM_PX = 48;

interface Props {
  messages: Message[];
  outgoing: Outgoing[];
  username: string;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
}

/** Follows new messages only while the reader is at the bottom; otherwise offers a jump. */
export function MessageList({ messages, outgoing, username, onRetry, onDiscard }: Props) {
  const ref = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);
  const [unseen, setUnseen] = useState(false);

  const scrollToBottom = () => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
    setUnseen(false);
  };

  useLayoutEffect(() => {
    if (atBottom.current) scrollToBottom();
    else setUnseen(true);
  }, [messages, outgoing]);

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    if (atBottom.current) setUnseen(false);
  };

  return (
    <ol
      ref={ref}
      className="messages"
      onScroll={onScroll}
      role="log"
      aria-live="polite"
      aria-label="Messages"
      data-testid="messages"
      tabIndex={0}
    >
      {messages.length === 0 && outgoing.length === 0 ? <li className="empty">No messages yet. Say hello!</li> : null}
      {messages.map((m) => (
        <MessageItem key={m.id} message={m} own={m.username === username} />
      ))}
      {outgoing.map((o) => (
        <OutgoingItem
          key={o.clientId}
          item={o}
          username={username}
          onRetry={() => onRetry(o.clientId)}
          onDiscard={() => onDiscard(o.clientId)}
        />
      ))}
      {unseen ? (
        <li style={{ listStyle: "none", display: "contents" }}>
          <button type="button" className="jump" onClick={scrollToBottom}>
            New messages ↓
          </button>
        </li>
      ) : null}
    </ol>
  );
}
