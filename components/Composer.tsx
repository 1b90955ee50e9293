"use client";
import { useEffect, useId, useRef, useState, useSyncExternalStore, type FormEvent, type KeyboardEvent } from "react";
import { useAckAction } from "@/hooks/useAckAction";
import { useCompletion, type CompletionSources } from "@/hooks/useCompletion";
import { characterCount, LIMITS, type Ack } from "@/lib/protocol";
import { getDraft, setDraft, subscribeDrafts } from "@/lib/web/drafts";
import { Alert } from "./Alert";
import { CompletionList } from "./CompletionList";
import { ComposerBar, type ComposerMode } from "./ComposerBar";

interface Props {
  /** the conversation (and user) the unsent text belongs to: it is kept per draftKey */
  draftKey: string;
  /** a new message, answering `replyTo` when given */
  onSend: (content: string, replyTo?: number) => void;
  /** called on every edit that leaves text in the box (the caller throttles) */
  onTyping?: () => void;
  placeholder?: string;
  /** editing a message, or answering one; null for a new message */
  mode?: ComposerMode | null;
  onCancelMode?: () => void;
  /** ↑ in the empty box: starts editing one's last message; false when there is none */
  onEditLast?: () => boolean;
  /** stores an edit (the ack's refusal is shown) */
  onSave?: (id: number, content: string) => Promise<Ack<object>>;
  /** what `@` and `#` offer to complete */
  completions?: CompletionSources;
}

const NO_COMPLETIONS: CompletionSources = { people: [], rooms: [] };

/**
 * Enter sends, Shift+Enter adds a line. In edit mode the box holds the message's text (the draft waits) and
 * Enter saves; Escape leaves edit or reply mode.
 */
export function Composer(props: Props) {
  const { draftKey, onSend, onTyping, placeholder = "Write a message…", mode = null } = props;
  const { text, setText, box } = useComposerText(draftKey, mode);
  const [problem, setProblem] = useState<string | null>(null);
  const save = useAckAction();
  const completion = useCompletion(text, setText, box, props.completions ?? NO_COMPLETIONS);
  const listId = useId();
  const open = completion.options.length > 0;

  const cancel = () => {
    setProblem(null);
    save.clear();
    props.onCancelMode?.();
  };

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    const content = text.trim();
    const length = characterCount(content);
    if (length > LIMITS.contentMax) {
      setProblem(`Message is longer than ${LIMITS.contentMax} characters (${length}).`);
      return;
    }
    setProblem(null);
    if (mode?.kind === "edit") {
      if (!content) return setProblem("An edited message cannot be empty: delete it instead.");
      if (content === mode.message.content.trim()) return cancel();
      const id = mode.message.id;
      if (props.onSave && (await save.run(() => props.onSave!(id, content)))) cancel();
      return;
    }
    if (!content) return;
    onSend(content, mode?.kind === "reply" ? mode.message.id : undefined);
    setText("");
    if (mode) cancel();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.nativeEvent.isComposing || completion.onKeyDown(e)) return;
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      void submit();
    } else if (e.key === "Escape" && mode) {
      e.preventDefault();
      cancel();
    } else if (e.key === "ArrowUp" && text === "" && !mode && props.onEditLast?.()) {
      e.preventDefault();
    }
  };

  const onChange = (value: string) => {
    setText(value);
    if (mode?.kind !== "edit" && value.trim()) onTyping?.();
  };

  return (
    <>
      <ComposerProblems problem={problem} refusal={save.error} />
      {mode ? <ComposerBar mode={mode} onCancel={cancel} /> : null}
      <form className="composer" onSubmit={(e) => void submit(e)} data-mode={mode?.kind}>
        <CompletionList id={listId} completion={completion} />
        <label htmlFor="composer" className="sr-only">
          Message
        </label>
        <textarea
          ref={box}
          id="composer"
          rows={1}
          value={text}
          placeholder={placeholder}
          onChange={(e) => {
            onChange(e.target.value);
            completion.track();
          }}
          onSelect={completion.track}
          onKeyDown={onKeyDown}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={open ? listId : undefined}
          aria-activedescendant={open ? `${listId}-${completion.index}` : undefined}
          autoFocus
        />
        <button type="submit" disabled={save.busy}>
          {mode?.kind === "edit" ? "Save" : "Send"}
        </button>
      </form>
    </>
  );
}

/** Why the text cannot go (too long, empty edit), or the server's refusal of an edit. */
function ComposerProblems({ problem, refusal }: { problem: string | null; refusal: string | null }) {
  return (
    <>
      {problem ? (
        <div className="inline-error" role="alert">
          {problem}
        </div>
      ) : null}
      {refusal ? (
        <div className="composer-alert">
          <Alert error={refusal} />
        </div>
      ) : null}
    </>
  );
}

/**
 * The box's text: this conversation's draft (empty on the server; the stored one once hydrated), or in edit
 * mode the text being edited (started from the message's whenever another message is taken up; the draft
 * waits). Taking up a message (reply, edit) puts the caret in the box, at the end.
 */
function useComposerText(draftKey: string, mode: ComposerMode | null) {
  const draft = useSyncExternalStore(
    subscribeDrafts,
    () => getDraft(draftKey),
    () => "",
  );
  const editId = mode?.kind === "edit" ? mode.message.id : null;
  const [edit, setEdit] = useState<{ id: number; text: string } | null>(null);
  if (editId !== (edit?.id ?? null))
    setEdit(mode?.kind === "edit" ? { id: mode.message.id, text: mode.message.content } : null);

  const box = useRef<HTMLTextAreaElement>(null);
  const modeKey = mode ? `${mode.kind}:${mode.message.id}` : null;
  useEffect(() => {
    const el = box.current;
    if (!modeKey || !el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, [modeKey]);

  const setText = (value: string) => (edit ? setEdit({ ...edit, text: value }) : setDraft(draftKey, value));
  return { text: edit ? edit.text : draft, setText, box };
}
