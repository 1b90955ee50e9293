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
  return (
    <button
      type="button"
      className="reply-quote"
      onClick={() => onJump(replyTo.id)}
      aria-label={`Go to the message by ${replyTo.username}: ${line}`}
      data-testid="reply-quote"
    >
      <span className="reply-author">{replyTo.username}</span>
      <span className={gone ? "reply-text gone" : "reply-text"} dir="auto">
        {line}
      </span>
    </button>
  );
}
