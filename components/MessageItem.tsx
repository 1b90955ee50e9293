import type { Message } from "@/lib/protocol";
import type { Outgoing } from "@/lib/web/timeline";

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

// Content is rendered as a React text node: never parsed as HTML.
export function MessageItem({ message, own }: { message: Message; own: boolean }) {
  const at = new Date(message.timestamp);
  return (
    <li className={own ? "msg own" : "msg"} data-testid="message" data-id={message.id}>
      <div className="meta">
        <span className="author">{message.username}</span>
        <time dateTime={message.timestamp} title={at.toLocaleString()}>
          {timeFormat.format(at)}
        </time>
        {own ? (
          <span className="sent" title="Sent: stored on the server" data-testid="sent">
            ✓<span className="sr-only"> sent</span>
          </span>
        ) : null}
      </div>
      <div className="body">{message.content}</div>
    </li>
  );
}

export function OutgoingItem({
  item,
  username,
  onRetry,
  onDiscard,
}: {
  item: Outgoing;
  username: string;
  onRetry: () => void;
  onDiscard: () => void;
}) {
  return (
    <li className="msg own" data-testid="outgoing" data-state={item.state}>
      <div className="meta">
        <span className="author">{username}</span>
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
