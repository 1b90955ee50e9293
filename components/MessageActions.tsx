"use client";
import { useState, type MouseEvent, type ReactNode } from "react";
import { EmojiPicker } from "./EmojiPicker";
import { CopyIcon, DeleteIcon, EditIcon, LinkIcon, ReactIcon, ReplyIcon } from "./icons";

interface Props {
  /** the author's own message: it can be edited and deleted */
  own: boolean;
  /** an admin may delete anyone's message too */
  canDelete: boolean;
  onReact: (emoji: string) => void;
  onReply: () => void;
  onEdit: () => void;
  onDelete: () => void;
  onCopyLink: () => void;
  /** the content as plain text (on touch screens messages are not selectable: a long press is ours) */
  onCopyText: () => void;
}

/**
 * The bar a message shows on hover, on keyboard focus inside it, or after a tap (touch): react, reply, and
 * for one's own messages edit and delete; copy link, copy text. Each a button with a label.
 */
export function MessageActions({ own, canDelete, onReact, onReply, onEdit, onDelete, onCopyLink, onCopyText }: Props) {
  const [pickerAt, setPickerAt] = useState<HTMLElement | null>(null);
  return (
    <div className="msg-actions" role="toolbar" aria-label="Message actions" data-open={pickerAt ? "true" : undefined}>
      <Action
        label="Add reaction"
        onClick={(e) => setPickerAt(pickerAt ? null : e.currentTarget)}
        expanded={pickerAt !== null}
      >
        <ReactIcon />
      </Action>
      <Action label="Reply" onClick={onReply}>
        <ReplyIcon />
      </Action>
      {own ? (
        <Action label="Edit" onClick={onEdit}>
          <EditIcon />
        </Action>
      ) : null}
      {own || canDelete ? (
        <Action label="Delete" onClick={onDelete} danger>
          <DeleteIcon />
        </Action>
      ) : null}
      <Action label="Copy link" onClick={onCopyLink}>
        <LinkIcon />
      </Action>
      <Action label="Copy text" onClick={onCopyText}>
        <CopyIcon />
      </Action>
      {pickerAt ? <EmojiPicker anchor={pickerAt} onPick={onReact} onClose={() => setPickerAt(null)} /> : null}
    </div>
  );
}

function Action(props: {
  label: string;
  onClick: (e: MouseEvent<HTMLButtonElement>) => void;
  children: ReactNode;
  expanded?: boolean;
  danger?: boolean;
}) {
  return (
    <button
      type="button"
      className={props.danger ? "msg-action danger" : "msg-action"}
      aria-label={props.label}
      title={props.label}
      aria-expanded={props.expanded}
      onClick={props.onClick}
    >
      {props.children}
    </button>
  );
}
