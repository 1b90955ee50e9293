"use client";
import { useEffect, useState, type PointerEvent } from "react";
import { useAckAction } from "@/hooks/useAckAction";
import { useChat } from "@/hooks/useChat";
import type { Message } from "@/lib/protocol";
import { copyText } from "@/lib/web/clipboard";
import type { Outgoing } from "@/lib/web/timeline";
import { Alert } from "./Alert";
import { Avatar, nameStyle } from "./Avatar";
import { MessageActions } from "./MessageActions";
import { ReactionChips } from "./ReactionChips";
import { ReplyQuote } from "./ReplyQuote";

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

/** What the list does for a message's actions (reacting is done here, through the chat client). */
export interface MessageHandlers {
  onReply: (message: Message) => void;
  onEdit: (message: Message) => void;
  onDelete: (message: Message) => void;
  /** show message `id` (a reply's parent), loading it first if it is not held */
  onJump: (id: number) => void;
  /** a tap on touch screens: shows this message's actions (or hides them again) */
  onActivate: (id: number) => void;
  /** the path of a message's own link */
  linkOf: (id: number) => string;
}

interface Props {
  message: Message;
  me: string;
  /** tapped: its actions are shown without hover */
  active: boolean;
  /** just jumped to: highlighted for a moment */
  flash: boolean;
  /** the first of its author's run: avatar, name and time; later ones show their time on hover */
  head: boolean;
  handlers: MessageHandlers;
}

/** A tap (not a click with a mouse, not on a control) selects the message on touch screens. */
const isTap = (e: PointerEvent) =>
  e.pointerType === "touch" && e.target instanceof Element && !e.target.closest("button, a, input, textarea");

// Content is rendered as a React text node: never parsed as HTML.
export function MessageItem({ message, me, active, flash, head, handlers }: Props) {
  const client = useChat();
  const { run, error, setError } = useAckAction();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);

  const own = message.username === me;
  const toggle = (emoji: string, mine: boolean) =>
    void run(() => (mine ? client.unreact(message.id, emoji) : client.react(message.id, emoji)));
  const copyLink = async () => {
    const url = new URL(handlers.linkOf(message.id), window.location.origin).href;
    if (await copyText(url)) setCopied(true);
    else setError(`Could not copy the link; it is ${url}`);
  };

  return (
    <li
      className={own ? "msg own" : "msg"}
      id={`m${message.id}`}
      data-head={head ? "true" : "false"}
      data-testid="message"
      data-id={message.id}
      data-deleted={message.deleted ? "true" : undefined}
      data-active={active ? "true" : undefined}
      data-flash={flash ? "true" : undefined}
      tabIndex={-1}
      onPointerUp={(e) => {
        if (isTap(e)) handlers.onActivate(message.id);
      }}
    >
      {head ? <Avatar username={message.username} /> : null}
      <MessageMeta message={message} own={own} head={head} />
      {message.replyTo && !message.deleted ? <ReplyQuote replyTo={message.replyTo} onJump={handlers.onJump} /> : null}
      <MessageBody message={message} />
      {message.deleted ? null : (
        <>
          <ReactionChips reactions={message.reactions} me={me} onToggle={toggle} />
          <MessageActions
            own={own}
            onReact={(emoji) => toggle(emoji, reactedBy(message, emoji, me))}
            onReply={() => handlers.onReply(message)}
            onEdit={() => handlers.onEdit(message)}
            onDelete={() => handlers.onDelete(message)}
            onCopyLink={() => void copyLink()}
          />
        </>
      )}
      {copied ? (
        <span className="msg-toast" role="status">
          Link copied
        </span>
      ) : null}
      <Alert error={error} />
    </li>
  );
}

const reactedBy = (message: Message, emoji: string, me: string) =>
  message.reactions.some((r) => r.emoji === emoji && r.users.some((u) => u.toLowerCase() === me.toLowerCase()));

/** A group's head shows the name and time; a later line keeps both for screen readers, its time on hover. */
function MessageMeta({ message, own, head }: { message: Message; own: boolean; head: boolean }) {
  const at = new Date(message.timestamp);
  return (
    <div className={head ? "meta" : "meta continued"}>
      <span className={head ? "author" : "author sr-only"} style={nameStyle(message.username)}>
        {message.username}
      </span>
      <time dateTime={message.timestamp} title={at.toLocaleString()}>
        {timeFormat.format(at)}
      </time>
      {own ? (
        <span className="sent" title="Sent: stored on the server" data-testid="sent">
          ✓<span className="sr-only"> sent</span>
        </span>
      ) : null}
    </div>
  );
}

function MessageBody({ message }: { message: Message }) {
  if (message.deleted) return <div className="body deleted">message deleted</div>;
  const edited = message.editedAt ? new Date(message.editedAt) : null;
  return (
    <div className="body">
      {message.content}
      {edited ? (
        <>
          {" "}
          <span className="edited" title={`Edited ${edited.toLocaleString()}`} data-testid="edited">
            (edited)
          </span>
        </>
      ) : null}
    </div>
  );
}

export function OutgoingItem({
  item,
  username,
  head,
  onRetry,
  onDiscard,
}: {
  item: Outgoing;
  username: string;
  /** not continuing the sender's last group: with avatar and name */
  head: boolean;
  onRetry: () => void;
  onDiscard: () => void;
}) {
  return (
    <li className="msg own" data-testid="outgoing" data-state={item.state} data-head={head ? "true" : "false"}>
      {head ? <Avatar username={username} /> : null}
      <div className={head ? "meta" : "meta continued"}>
        <span className={head ? "author" : "author sr-only"} style={nameStyle(username)}>
          {username}
        </span>
      </div>
      <div className="body">{item.content}</div>
      {item.state === "sending" ? (
        <div className="state">Sending…</div>
      ) : (
        <div className="state failed" role="alert">
          Not sent{item.error ? `: ${item.error}` : ""}.{" "}
          <button type="button" className="link" onClick={onRetry}>
            Retry
          </button>{" "}
          <button type="button" className="link" onClick={onDiscard}>
            Discard
          </button>
        </div>
      )}
    </li>
  );
}
