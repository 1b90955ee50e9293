import { authorLabel } from "@/lib/text/author";
import type { Message } from "@/lib/protocol";
import { firstLine } from "./ReplyQuote";

/** What the composer is doing besides writing a new message: editing one, or answering one. */
export type ComposerMode = { kind: "edit"; message: Message } | { kind: "reply"; message: Message };

/** The line above the composer in edit or reply mode, with its cancel button. */
export function ComposerBar({ mode, onCancel }: { mode: ComposerMode; onCancel: () => void }) {
  const editing = mode.kind === "edit";
  return (
    <div className="composer-bar" data-mode={mode.kind} data-testid="composer-bar">
      <span className="composer-bar-text">
        {editing ? (
          <>
            <strong>Editing message</strong> — Esc to cancel
          </>
        ) : (
          <>
            Replying to <strong>{authorLabel(mode.message)}</strong>: {firstLine(mode.message.content)}
          </>
        )}
      </span>
      <button
        type="button"
        className="icon-button"
        onClick={onCancel}
        aria-label={editing ? "Cancel editing" : "Cancel reply"}
        title={editing ? "Cancel editing (Esc)" : "Cancel reply (Esc)"}
      >
        ×
      </button>
    </div>
  );
}
