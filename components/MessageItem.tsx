"use client";
import { useEffect, useState } from "react";
import { useAckAction } from "@/hooks/useAckAction";
import { useChat, useChatState } from "@/hooks/useChat";
import { useIsAdmin } from "@/hooks/useIsAdmin";
import { useMessagePress } from "@/hooks/useMessagePress";
import { useAuthor, useOpenProfile, useUser } from "@/hooks/useProfile";
import { isBroadcastMention, mentionsUser } from "@/lib/notify/mentions";
import type { Message } from "@/lib/protocol";
import { copyText } from "@/lib/web/clipboard";
import type { Outgoing } from "@/lib/web/timeline";
import { Alert } from "./Alert";
import { Avatar, nameStyle } from "./Avatar";
import { BotAvatar, BotBadge } from "./BotBadge";
import { MessageActions } from "./MessageActions";
import { ClockIcon } from "./icons";
import { MessageBody } from "./MessageBody";
import { MessageFiles } from "./MessageFiles";
import { ReactionChips } from "./ReactionChips";
import { ReplyQuote } from "./ReplyQuote";

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
/** The time, its AM/PM in a span of its own: a later line's narrow gutter leaves that out (globals.css). */
function ClockTime({ at }: { at: Date }) {
  const parts = timeFormat.formatToParts(at);
  // the space before AM/PM (U+202F in English) goes with it: left behind, it would push the gutter time left
  const beforePeriod = (i: number) => parts[i]?.type === "literal" && parts[i + 1]?.type === "dayPeriod";
  return parts.map((p, i) =>
    beforePeriod(i) ? null : p.type === "dayPeriod" ? (
      <span key={i} className="day-period">
        {beforePeriod(i - 1) ? parts[i - 1]!.value : ""}
        {p.value}
      </span>
    ) : (
      p.value
    ),
  );
}

/** What the list does for a message's actions (reacting is done here, through the chat client). */
export interface MessageHandlers {
  onReply: (message: Message) => void;
  onEdit: (message: Message) => void;
  onDelete: (message: Message) => void;
  /** show message `id` (a reply's parent), loading it first if it is not held */
  onJump: (id: number) => void;
  /** touch: a tap shows this message's actions or hides them again; a long press (`open`) shows them */
  onActivate: (id: number, open?: boolean) => void;
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

// Content is rendered by MessageBody: Markdown to React elements, never parsed as HTML.
export function MessageItem({ message, me, active, flash, head, handlers }: Props) {
  const client = useChat();
  const { run, error, setError } = useAckAction();
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(null), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  const press = useMessagePress({
    onTap: () => handlers.onActivate(message.id),
    onHold: () => handlers.onActivate(message.id, true),
  });

  // a webhook's post is its maker's by id, but it is the bot's message, not theirs to edit in place
  const own = message.username === me && !message.bot;
  const admin = useIsAdmin();
  // others' messages the server found mentioning the reader (by name, @room or @here)
  const mentioned = !own && !message.deleted && mentionsUser(message, me);
  const toggle = (emoji: string, mine: boolean) =>
    void run(() => (mine ? client.unreact(message.id, emoji) : client.react(message.id, emoji)));
  const copyLink = async () => {
    const url = new URL(handlers.linkOf(message.id), window.location.origin).href;
    if (await copyText(url)) setCopied("Link copied");
    else setError(`Could not copy the link; it is ${url}`);
  };
  const copyContent = async () => {
    if (await copyText(message.content)) setCopied("Text copied");
    else setError("Could not copy the text");
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
      data-mention={mentioned ? "true" : undefined}
      data-pressing={press.pressing ? "true" : undefined}
      tabIndex={-1}
      {...press.bind}
    >
      {head ? message.bot ? <BotAvatar bot={message.bot} /> : <AuthorAvatar message={message} /> : null}
      <MessageMeta message={message} own={own} head={head} />
      {message.replyTo && !message.deleted ? <ReplyQuote replyTo={message.replyTo} onJump={handlers.onJump} /> : null}
      <MessageContent message={message} me={me} mentioned={mentioned} />
      {message.deleted ? null : (
        <>
          <MessageFiles files={message.files} />
          <ReactionChips reactions={message.reactions} me={me} onToggle={toggle} />
          <MessageActions
            own={own}
            canDelete={admin}
            onReact={(emoji) => toggle(emoji, reactedBy(message, emoji, me))}
            onReply={() => handlers.onReply(message)}
            onEdit={() => handlers.onEdit(message)}
            onDelete={() => handlers.onDelete(message)}
            onCopyLink={() => void copyLink()}
            onCopyText={() => void copyContent()}
          />
        </>
      )}
      {copied ? (
        <span className="msg-toast" role="status">
          {copied}
        </span>
      ) : null}
      <Alert error={error} />
    </li>
  );
}

const reactedBy = (message: Message, emoji: string, me: string) =>
  message.reactions.some((r) => r.emoji === emoji && r.users.some((u) => u.toLowerCase() === me.toLowerCase()));

/** Beside the name of an author an admin deactivated: their messages stay, marked. */
function DeactivatedNote({ username }: { username: string }) {
  const deactivated = useChatState((s) => s.users.some((u) => u.username === username && u.deactivated === true));
  return deactivated ? <span className="deactivated-note">(deactivated)</span> : null;
}

/** A group head's avatar: a button that opens the author's profile card. */
function AuthorAvatar({ message }: { message: Message }) {
  const { avatarUrl } = useAuthor(message);
  const openProfile = useOpenProfile();
  return (
    <button
      type="button"
      className="avatar-slot"
      tabIndex={-1}
      aria-hidden="true"
      onClick={(e) => {
        e.stopPropagation();
        openProfile(message.username);
      }}
    >
      <Avatar username={message.username} url={avatarUrl} />
    </button>
  );
}

/** The author's display name (beside the username, the handle) or the username alone. */
function AuthorName({ message, head }: { message: Message; head: boolean }) {
  const { displayName } = useAuthor(message);
  const openProfile = useOpenProfile();
  const label = displayName ? `${displayName} (${message.username})` : message.username;
  if (!head) {
    return (
      <span className="author sr-only" style={nameStyle(message.username)}>
        {label}
      </span>
    );
  }
  return (
    <button
      type="button"
      className="author-button"
      title={`${label}: profile`}
      onClick={(e) => {
        e.stopPropagation();
        openProfile(message.username);
      }}
    >
      <span className="author" style={nameStyle(message.username)}>
        {displayName ?? message.username}
      </span>
      {displayName ? <span className="handle">{message.username}</span> : null}
    </button>
  );
}

/** A group's head shows the name and time; a later line keeps both for screen readers, its time on hover. */
function MessageMeta({ message, own, head }: { message: Message; own: boolean; head: boolean }) {
  const at = new Date(message.timestamp);
  const { bot } = message;
  return (
    <div className={head ? "meta" : "meta continued"}>
      {bot ? (
        <>
          <span className={head ? "author" : "author sr-only"}>{bot.name}</span>
          <BotBadge maker={message.username} head={head} />
        </>
      ) : (
        <>
          <AuthorName message={message} head={head} />
          {head ? <DeactivatedNote username={message.username} /> : null}
        </>
      )}
      <time dateTime={message.timestamp} title={at.toLocaleString()}>
        <ClockTime at={at} />
      </time>
      {own ? (
        <span className="sent" title="Sent: stored on the server" data-testid="sent">
          ✓<span className="sr-only"> sent</span>
        </span>
      ) : null}
    </div>
  );
}

/** `@name` as a chip; stronger when it addresses the reader (their name, or @room/@here in a message for them). */
function MentionChip({ name, me, mentioned }: { name: string; me: string; mentioned: boolean }) {
  const forMe = name.toLowerCase() === me.toLowerCase() || (mentioned && isBroadcastMention(name));
  return (
    // its own direction: a chip first in a right-to-left message must not make the message read left to right
    <span className="mention" dir="ltr" data-me={forMe ? "true" : undefined} data-testid="mention">
      @{name}
    </span>
  );
}

function MessageContent({ message, me, mentioned }: { message: Message; me: string; mentioned: boolean }) {
  if (message.deleted) return <div className="body deleted">message deleted</div>;
  // a message of files alone has no text line
  if (message.content === "" && message.files.length > 0) return null;
  const edited = message.editedAt ? new Date(message.editedAt) : null;
  return (
    <div className="body md" dir="auto">
      <MessageBody
        content={message.content}
        renderMention={(name) => <MentionChip name={name} me={me} mentioned={mentioned} />}
        trailing={
          edited ? (
            <span className="edited" title={`Edited ${edited.toLocaleString()}`} data-testid="edited">
              (edited)
            </span>
          ) : null
        }
      />
    </div>
  );
}

/** The sender's own name on a message still on its way, as it will show once sent. */
function OwnName({ username, head }: { username: string; head: boolean }) {
  const displayName = useUser(username)?.displayName;
  return (
    <span className={head ? "author" : "author sr-only"} style={nameStyle(username)}>
      {displayName ?? username}
    </span>
  );
}

function OwnAvatar({ username }: { username: string }) {
  const user = useUser(username);
  return (
    <span className="avatar-slot">
      <Avatar username={username} url={user?.avatarUrl} />
    </span>
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
      {head ? <OwnAvatar username={username} /> : null}
      <div className={head ? "meta" : "meta continued"}>
        <OwnName username={username} head={head} />
        {/* the time it will have, unseen: the row is laid out as the stored message's will be, so the ack moves nothing */}
        <time className="placeholder" aria-hidden="true">
          <ClockTime at={new Date()} />
        </time>
        {item.state === "sending" ? (
          // in the ✓'s place
          <span className="sent pending" title="Sending…" data-testid="sending">
            <ClockIcon />
            <span className="sr-only"> sending</span>
          </span>
        ) : null}
      </div>
      {item.content ? (
        <div className="body md" dir="auto">
          <MessageBody content={item.content} />
        </div>
      ) : null}
      {item.files?.length ? <MessageFiles files={item.files} /> : null}
      {item.state === "sending" ? null : (
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
