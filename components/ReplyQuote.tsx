import { markdownToText } from "@/lib/markdown/plain-text";
import type { ReplyRef } from "@/lib/protocol";
import { sanitize } from "@/lib/text/sanitize";

/** The first line of a message's text, as a quote shows it: Markdown markup and control characters left out. */
export const firstLine = (text: string): string =>
  markdownToText(sanitize(text)).trim().split("\n", 1)[0]?.trim() ?? "";

/** Above a reply: whom it answers and the first line of what they wrote; a click shows that message. */
export function ReplyQuote({ replyTo, onJump }: { replyTo: ReplyRef; onJump: (id: number) => void }) {
  const gone = replyTo.content === "";
  const line = gone ? "original message deleted" : firstLine(replyTo.content);
  // a webhook's post is quoted under its bot's name, never as the member who made the hook
  const author = replyTo.botName ?? replyTo.username;
  return (
    <button
      type="button"
      className="reply-quote"
      onClick={() => onJump(replyTo.id)}
      aria-label={`Go to the message by ${author}${replyTo.botName ? " (bot)" : ""}: ${line}`}
      data-testid="reply-quote"
    >
      <span className="reply-author">{author}</span>
      {replyTo.botName ? <span className="bot-badge">bot</span> : null}
      <span className={gone ? "reply-text gone" : "reply-text"} dir="auto">
        {line}
      </span>
    </button>
  );
}
