"use client";
import { useState, useSyncExternalStore, type FormEvent, type KeyboardEvent } from "react";
import { characterCount, LIMITS } from "@/lib/protocol";
import { getDraft, setDraft, subscribeDrafts } from "@/lib/web/drafts";

interface Props {
  /** the conversation (and user) the unsent text belongs to: it is kept per draftKey */
  draftKey: string;
  onSend: (content: string) => void;
  /** called on every edit that leaves text in the box (the caller throttles) */
  onTyping?: () => void;
  placeholder?: string;
}

/** Enter sends, Shift+Enter adds a line. */
export function Composer({ draftKey, onSend, onTyping, placeholder = "Write a message…" }: Props) {
  // the box shows this conversation's draft (empty on the server; the stored one once hydrated)
  const text = useSyncExternalStore(
    subscribeDrafts,
    () => getDraft(draftKey),
    () => "",
  );
  const edit = (value: string) => setDraft(draftKey, value);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const content = text.trim();
    if (!content) return;
    const length = characterCount(content);
    if (length > LIMITS.contentMax) {
      setProblem(`Message is longer than ${LIMITS.contentMax} characters (${length}).`);
      return;
    }
    setProblem(null);
    onSend(content);
    edit("");
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };

  return (
    <>
      {problem ? (
        <div className="inline-error" role="alert">
          {problem}
        </div>
      ) : null}
      <form className="composer" onSubmit={submit}>
        <label htmlFor="composer" className="sr-only">
          Message
        </label>
        <textarea
          id="composer"
          rows={1}
          value={text}
          placeholder={placeholder}
          onChange={(e) => {
            edit(e.target.value);
            if (e.target.value.trim()) onTyping?.();
          }}
          onKeyDown={onKeyDown}
          autoFocus
        />
        <button type="submit">Send</button>
      </form>
    </>
  );
}
