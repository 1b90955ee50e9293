"use client";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { linkedMessage, useJumpToMessage } from "@/hooks/useJumpToMessage";
import { useNow } from "@/hooks/useNow";
import type { Message } from "@/lib/protocol";
import { onShowLatest } from "@/lib/web/shortcuts";
import { buildRows, outgoingContinues, type UnreadMarker } from "@/lib/web/message-groups";
import type { Outgoing } from "@/lib/web/timeline";
import { DaySeparator, NewMessagesLine } from "./DaySeparator";
import { DeleteMessageDialog } from "./DeleteMessageDialog";
import { MessageItem, OutgoingItem, type MessageHandlers } from "./MessageItem";

const NEAR_BOTTOM_PX = 48;
/** the "New messages" line, and the room left above it when a room opens there */
const NEW_LINE = '[data-testid="new-messages"]';
const LINE_MARGIN_PX = 8;

/** where message `id`'s row is, from the top of the scrolling list (undefined when not rendered) */
function offsetOf(list: HTMLElement, id: number): number | undefined {
  const row = list.querySelector<HTMLElement>(`[data-id="${id}"]`);
  return row ? row.getBoundingClientRect().top - list.getBoundingClientRect().top : undefined;
}
/** older messages are fetched once the reader is this close to the top (newer ones, to the bottom) */
const NEAR_EDGE_PX = 200;

interface Props {
  messages: Message[];
  outgoing: Outgoing[];
  username: string;
  /** what was unread on entering the room: the "New messages" line goes above the first of it */
  unread: UnreadMarker | null;
  /** the conversation is loaded: a `#m<id>` link can be followed */
  ready: boolean;
  /** there may be messages before the first one */
  hasOlder: boolean;
  loadingOlder: boolean;
  olderError: string | null;
  /** the list ends before the live end (after a jump far back): newer pages load on scrolling down */
  hasNewer: boolean;
  loadingNewer: boolean;
  newerError: string | null;
  /** the first message is the room's first: say so at the top */
  beginning: boolean;
  emptyText: string;
  /** shown above the first message once there is nothing older: "This is the beginning of # dev." */
  beginningText: string;
  onLoadOlder: () => void;
  onLoadNewer: () => void;
  /** back to the newest messages from a window far back */
  onShowLatest: () => void;
  /** makes message `id` held (loading the page around it); resolves with whether it is */
  onLoadAround: (id: number) => Promise<boolean>;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
  /** whether the newest message is in view: what arrives while the reader is scrolled up is not yet read */
  onAtBottom?: (atBottom: boolean) => void;
  onReply: (message: Message) => void;
  onEdit: (message: Message) => void;
  linkOf: (id: number) => string;
}

/**
 * Follows new messages only while the reader is at the bottom; otherwise offers a jump to the latest.
 * Scrolling near the top loads older pages, which are put in above without moving what is on screen: the
 * distance from the bottom is kept across the prepend. After a jump far back, scrolling near the bottom
 * loads newer pages until the live end.
 */
export function MessageList(props: Props) {
  const { messages, outgoing, hasOlder, loadingOlder, onLoadOlder, onAtBottom } = props;
  const { hasNewer, loadingNewer, onLoadNewer } = props;
  const ref = useRef<HTMLDivElement>(null);
  /** following the newest message */
  const stick = useRef(true);
  /** scrollHeight − scrollTop when last looked at: what a prepend must restore */
  const fromBottom = useRef(0);
  const shownFirstId = useRef<number | undefined>(undefined);
  /** the first message's offset from the list's top when last looked at: a prepend keeps it in place (its
   *  height may change: grouped under the older page's last author, it loses its header) */
  const anchorTop = useRef<number | undefined>(undefined);
  /** null at the bottom; else the newest id when the reader scrolled away from it */
  const [leftAt, setLeftAt] = useState<number | null>(null);

  const firstId = messages[0]?.id;
  const newestId = messages.at(-1)?.id ?? 0;

  /** own messages on their way when last looked at */
  const sending = useRef(outgoing.length);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    // sending is reading: one's own new message brings the list back to the newest
    if (outgoing.length > sending.current) stick.current = true;
    sending.current = outgoing.length;
    const prepended = firstId !== undefined && shownFirstId.current !== undefined && firstId < shownFirstId.current;
    if (stick.current) el.scrollTop = el.scrollHeight;
    else if (prepended) {
      const was = shownFirstId.current === undefined ? undefined : offsetOf(el, shownFirstId.current);
      if (was !== undefined && anchorTop.current !== undefined) el.scrollTop += was - anchorTop.current;
      else el.scrollTop = el.scrollHeight - fromBottom.current;
    }
    shownFirstId.current = firstId;
    anchorTop.current = firstId === undefined ? undefined : offsetOf(el, firstId);
    fromBottom.current = el.scrollHeight - el.scrollTop;
    // a short page leaves nothing to scroll: keep loading until the list fills the view
    if (el.scrollHeight > el.clientHeight) return;
    if (hasOlder && !loadingOlder) onLoadOlder();
    else if (hasNewer && !loadingNewer) onLoadNewer();
  }, [firstId, newestId, outgoing, hasOlder, loadingOlder, onLoadOlder, hasNewer, loadingNewer, onLoadNewer]);

  // entering with unread messages: the "New messages" line is brought to the top of the view (once), unless
  // the URL names a message to show instead; the reader is then not at the newest, so it stays unread. A
  // reader who never read the room (a new account's general) starts at the newest, as before.
  const { ready, unread } = props;
  const shownUnread = useRef(false);
  useLayoutEffect(() => {
    const el = ref.current;
    if (shownUnread.current || !ready || !unread || !el) return;
    shownUnread.current = true;
    if (unread.readUpTo === 0) return;
    const line = el.querySelector<HTMLElement>(NEW_LINE);
    if (!line || linkedMessage() !== null) return;
    const top = line.getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop - LINE_MARGIN_PX;
    if (top >= el.scrollTop) return; // already in view
    stick.current = false;
    el.scrollTop = Math.max(0, top);
  }, [ready, unread]);

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    const fromEnd = el.scrollHeight - el.scrollTop - el.clientHeight;
    // a window far back has more below it: its bottom is not the newest message
    stick.current = fromEnd < NEAR_BOTTOM_PX && !hasNewer;
    fromBottom.current = el.scrollHeight - el.scrollTop;
    anchorTop.current = firstId === undefined ? undefined : offsetOf(el, firstId);
    setLeftAt((at) => (stick.current ? null : (at ?? newestId)));
    if (el.scrollTop < NEAR_EDGE_PX && hasOlder && !loadingOlder) onLoadOlder();
    if (fromEnd < NEAR_EDGE_PX && hasNewer && !loadingNewer) onLoadNewer();
  };

  const leave = useCallback(() => {
    stick.current = false;
  }, []);
  const { jump, flash } = useJumpToMessage(ref, props.onLoadAround, props.ready, leave);
  const [deleting, setDeleting] = useState<Message | null>(null);

  const jumpToLatest = () => {
    const el = ref.current;
    if (!el) return;
    stick.current = true;
    if (hasNewer) props.onShowLatest();
    el.scrollTop = el.scrollHeight;
    setLeftAt(null);
  };

  // Escape (lib/web/shortcuts.ts) asks the list on screen for its newest message (subscribed per render:
  // jumpToLatest reads this render's state)
  useEffect(() => onShowLatest(jumpToLatest));

  const unseen = leftAt !== null && newestId > leftAt;
  const atBottom = leftAt === null && !hasNewer;
  // in the same commit as the jump button: a message that arrives once the reader has scrolled away (the button
  // shows) must find the room already not "viewed", or it would be counted read (a passive effect, a task later)
  useLayoutEffect(() => onAtBottom?.(atBottom), [onAtBottom, atBottom]);

  return (
    <div className="timeline">
      {/* the log scrolls; the list inside it keeps list semantics (a role on the <ol> itself would drop them) */}
      <div
        ref={ref}
        className="messages"
        onScroll={onScroll}
        role="log"
        aria-live="polite"
        aria-label="Messages"
        data-testid="messages"
        tabIndex={0}
      >
        <ol className="message-rows">
          <HistoryEdge {...props} />
          <MessageRows {...props} flash={flash} onJump={(id) => void jump(id)} onDelete={setDeleting} />
          {hasNewer ? <NewerEdge {...props} /> : null}
        </ol>
      </div>
      {!atBottom ? (
        <button type="button" className="jump" onClick={jumpToLatest} data-unseen={unseen ? "true" : "false"}>
          {unseen ? "New messages · " : ""}Jump to latest ↓
        </button>
      ) : null}
      <DeleteMessageDialog message={deleting} onClose={() => setDeleting(null)} />
    </div>
  );
}

type RowsProps = Props & { flash: number | null; onJump: (id: number) => void; onDelete: (message: Message) => void };

/**
 * The messages under day separators, grouped by author, with the "New messages" line; then the own ones on
 * their way; and which one is tapped (touch: its actions show).
 */
function MessageRows(props: RowsProps) {
  const { messages, outgoing, username, flash, unread } = props;
  const now = useNow();
  const [active, setActive] = useState<number | null>(null);
  const handlers: MessageHandlers = {
    onReply: props.onReply,
    onEdit: props.onEdit,
    onDelete: props.onDelete,
    onJump: props.onJump,
    onActivate: (id, open) => setActive((current) => (open || current !== id ? id : null)),
    linkOf: props.linkOf,
  };
  return (
    <>
      {messages.length === 0 && outgoing.length === 0 ? <li className="empty">{props.emptyText}</li> : null}
      {buildRows(messages, { me: username, unread }).map((row) =>
        row.kind === "day" ? (
          <DaySeparator key={row.key} date={row.date} now={now} />
        ) : row.kind === "new" ? (
          <NewMessagesLine key={row.key} />
        ) : (
          <MessageItem
            key={row.key}
            message={row.message}
            me={username}
            active={active === row.message.id}
            flash={flash === row.message.id}
            head={row.head}
            handlers={handlers}
          />
        ),
      )}
      {outgoing.map((o, i) => (
        <OutgoingItem
          key={o.clientId}
          item={o}
          username={username}
          head={i === 0 && !outgoingContinues(messages.at(-1), username, now)}
          onRetry={() => props.onRetry(o.clientId)}
          onDiscard={() => props.onDiscard(o.clientId)}
        />
      ))}
    </>
  );
}

/** The top of the list, always the same height so its changes never shift the messages below it. */
function HistoryEdge({ messages, hasOlder, loadingOlder, olderError, beginning, beginningText, onLoadOlder }: Props) {
  let content = null;
  if (loadingOlder) content = <span className="muted">Loading older messages…</span>;
  else if (olderError) content = <EdgeError error={olderError} onRetry={onLoadOlder} />;
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

/** The bottom of a window far back: newer messages follow (loaded on scrolling down). */
function NewerEdge({ loadingNewer, newerError, onLoadNewer }: Props) {
  let content;
  if (loadingNewer) content = <span className="muted">Loading newer messages…</span>;
  else if (newerError) content = <EdgeError error={newerError} onRetry={onLoadNewer} />;
  else
    content = (
      <button type="button" className="link" onClick={onLoadNewer}>
        Load newer messages
      </button>
    );
  return (
    <li className="history-edge newer-edge" data-testid="newer-edge" aria-busy={loadingNewer}>
      {content}
    </li>
  );
}

function EdgeError({ error, onRetry }: { error: string; onRetry: () => void }) {
  return (
    <span className="inline-error" role="alert">
      {error}{" "}
      <button type="button" className="link" onClick={onRetry}>
        Retry
      </button>
    </span>
  );
}
