"use client";
import {
  useEffect,
  useId,
  useRef,
  useState,
  useSyncExternalStore,
  type ClipboardEvent,
  type FormEvent,
  type KeyboardEvent,
} from "react";
import { useAckAction } from "@/hooks/useAckAction";
import { useCompletion, type CompletionSources } from "@/hooks/useCompletion";
import type { Uploads } from "@/hooks/useUploads";
import { characterCount, LIMITS, type Ack, type FileInfo } from "@/lib/protocol";
import { getDraft, setDraft, subscribeDrafts } from "@/lib/web/drafts";
import { Alert } from "./Alert";
import { AttachmentTray } from "./AttachmentTray";
import { CompletionList } from "./CompletionList";
import { ComposerBar, type ComposerMode } from "./ComposerBar";
import { PaperclipIcon } from "./icons";

interface Props {
  /** the conversation (and user) the unsent text belongs to: it is kept per draftKey */
  draftKey: string;
  /** a new message, answering `replyTo` when given, carrying `files` (uploaded already) */
  onSend: (content: string, replyTo?: number, files?: FileInfo[]) => void;
  /** the files going with the next message (the conversation owns them: files dropped on it land here) */
  uploads?: Uploads;
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
    const uploads = props.uploads;
    if (uploads?.busy) return setProblem("Wait for the uploads to finish, or cancel them.");
    const files = uploads?.ready ?? [];
    if (!content && files.length === 0) return;
    onSend(content, mode?.kind === "reply" ? mode.message.id : undefined, files.length ? files : undefined);
    setText("");
    uploads?.clear();
    if (mode) cancel();
  };

  // a pasted image (a screenshot) is uploaded like a chosen file; pasted text stays text
  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = [...e.clipboardData.files];
    if (!props.uploads || files.length === 0 || mode?.kind === "edit") return;
    e.preventDefault();
    props.uploads.add(files);
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
      {props.uploads ? <AttachmentTray uploads={props.uploads} /> : null}
      <form className="composer" onSubmit={(e) => void submit(e)} data-mode={mode?.kind}>
        <CompletionList id={listId} completion={completion} />
        {props.uploads && mode?.kind !== "edit" ? <AttachButton onFiles={props.uploads.add} /> : null}
        <label htmlFor="composer" className="sr-only">
          Message
        </label>
        <textarea
          ref={box}
          id="composer"
          dir="auto"
          rows={1}
          value={text}
          placeholder={placeholder}
          onChange={(e) => {
            onChange(e.target.value);
            completion.track();
          }}
          onSelect={completion.track}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
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

/** The paperclip: a file picker (several files at once) whose choice goes to the uploads. */
function AttachButton({ onFiles }: { onFiles: (files: File[]) => void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className="attach-button"
        onClick={() => input.current?.click()}
        aria-label="Attach files"
        title="Attach files (or drop them on the conversation, or paste an image)"
      >
        <PaperclipIcon />
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid="file-input"
        onChange={(e) => {
          onFiles([...(e.target.files ?? [])]);
          e.target.value = "";
        }}
      />
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
