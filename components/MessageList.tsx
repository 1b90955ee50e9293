"use client";
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import type { Message } from "@/lib/protocol";
import type { Outgoing } from "@/lib/web/timeline";
import { MessageItem, OutgoingItem } from "./MessageItem";

const NEAR_BOTTOM_PX = 48;
/** older messages are fetched once the reader is this close to the top */
const NEAR_TOP_PX = 200;

interface Props {
  messages: Message[];
  outgoing: Outgoing[];
  username: string;
  /** there may be messages before the first one */
  hasOlder: boolean;
  loadingOlder: boolean;
  olderError: string | null;
  /** the first message is the room's first: say so at the top */
  beginning: boolean;
  emptyText: string;
  /** shown above the first message once there is nothing older: "This is the beginning of # dev." */
  beginningText: string;
  onLoadOlder: () => void;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
  /** whether the newest message is in view: what arrives while the reader is scrolled up is not yet read */
  onAtBottom?: (atBottom: boolean) => void;
}

/**
 * Follows new messages only while the reader is at the bottom; otherwise offers a jump to the latest.
 * Scrolling near the top loads older pages, which are put in above without moving what is on screen: the
 * distance from the bottom is kept across the prepend.
 */
export function MessageList(props: Props) {
  const { messages, outgoing, username, hasOlder, loadingOlder, onLoadOlder, onAtBottom } = props;
  const ref = useRef<HTMLOListElement>(null);
  /** following the newest message */
  const stick = useRef(true);
  /** scrollHeight − scrollTop when last looked at: what a prepend must restore */
  const fromBottom = useRef(0);
  const shownFirstId = useRef<number | undefined>(undefined);
  /** null at the bottom; else the newest id when the reader scrolled away from it */
  const [leftAt, setLeftAt] = useState<number | null>(null);

  const firstId = messages[0]?.id;
  const newestId = messages.at(-1)?.id ?? 0;

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const prepended = firstId !== undefined && shownFirstId.current !== undefined && firstId < shownFirstId.current;
    if (stick.current) el.scrollTop = el.scrollHeight;
    else if (prepended) el.scrollTop = el.scrollHeight - fromBottom.current;
    shownFirstId.current = firstId;
    fromBottom.current = el.scrollHeight - el.scrollTop;
    // a short page leaves nothing to scroll: keep loading until the list fills the view
    if (el.scrollHeight <= el.clientHeight && hasOlder && !loadingOlder) onLoadOlder();
  }, [firstId, newestId, outgoing, hasOlder, loadingOlder, onLoadOlder]);

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    fromBottom.current = el.scrollHeight - el.scrollTop;
    setLeftAt((at) => (stick.current ? null : (at ?? newestId)));
    if (el.scrollTop < NEAR_TOP_PX && hasOlder && !loadingOlder) onLoadOlder();
  };

  const jumpToLatest = () => {
    const el = ref.current;
    if (!el) return;
    stick.current = true;
    el.scrollTop = el.scrollHeight;
    setLeftAt(null);
  };

  const unseen = leftAt !== null && newestId > leftAt;
  const atBottom = leftAt === null;
  useEffect(() => onAtBottom?.(atBottom), [onAtBottom, atBottom]);

  return (
    <div className="timeline">
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
        <HistoryEdge {...props} />
        {messages.length === 0 && outgoing.length === 0 ? <li className="empty">{props.emptyText}</li> : null}
        {messages.map((m) => (
          <MessageItem key={m.id} message={m} own={m.username === username} />
        ))}
        {outgoing.map((o) => (
          <OutgoingItem
            key={o.clientId}
            item={o}
            username={username}
            onRetry={() => props.onRetry(o.clientId)}
            onDiscard={() => props.onDiscard(o.clientId)}
          />
        ))}
      </ol>
      {leftAt !== null ? (
        <button type="button" className="jump" onClick={jumpToLatest} data-unseen={unseen ? "true" : "false"}>
          {unseen ? "New messages · " : ""}Jump to latest ↓
        </button>
      ) : null}
    </div>
  );
}

/** The top of the list, always the same height so its changes never shift the messages below it. */
function HistoryEdge({ messages, hasOlder, loadingOlder, olderError, beginning, beginningText, onLoadOlder }: Props) {
  let content = null;
  if (loadingOlder) content = <span className="muted">Loading older messages…</span>;
  else if (olderError)
    content = (
      <span className="inline-error" role="alert">
        {olderError}{" "}
        <button type="button" className="link" onClick={onLoadOlder}>
          Retry
        </button>
      </span>
    );
  else if (hasOlder)
    content = (
      <button type="button" className="link" onClick={onLoadOlder}>
        Load older messages
      </button>
    );
  else if (beginning && messages.length > 0) content = <span className="muted">{beginningText}</span>;
  return (
    <li className="history-edge" data-testid="history-edge" aria-busy={loadingOlder}>
      {content}
    </li>
  );
}
