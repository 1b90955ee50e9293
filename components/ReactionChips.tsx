"use client";
import { useState } from "react";
import type { Reaction } from "@/lib/protocol";
import { emojiName } from "@/lib/web/emoji";
import { EmojiPicker } from "./EmojiPicker";

interface Props {
  reactions: Reaction[];
  me: string;
  /** adds (mine false) or removes (mine true) the current user's reaction */
  onToggle: (emoji: string, mine: boolean) => void;
}

const reacted = (r: Reaction, me: string) => r.users.some((u) => u.toLowerCase() === me.toLowerCase());

/** "alice, bob and 3 others" */
function who(users: readonly string[], me: string): string {
  const names = users.map((u) => (u.toLowerCase() === me.toLowerCase() ? "you" : u));
  if (names.length <= 3) return names.join(", ").replace(/, ([^,]*)$/, " and $1");
  return `${names.slice(0, 3).join(", ")} and ${names.length - 3} others`;
}

/** A message's reactions: emoji and count, the user's own highlighted; a click toggles; "+" adds another. */
export function ReactionChips({ reactions, me, onToggle }: Props) {
  const [pickerAt, setPickerAt] = useState<HTMLElement | null>(null);
  if (reactions.length === 0) return null;
  return (
    <div className="reactions" data-testid="reactions">
      {reactions.map((r) => {
        const mine = reacted(r, me);
        const tip = `${who(r.users, me)} reacted with ${emojiName(r.emoji)}`;
        return (
          <button
            key={r.emoji}
            type="button"
            className="chip"
            aria-pressed={mine}
            title={tip}
            aria-label={`${emojiName(r.emoji)}: ${r.count}. ${tip}`}
            data-emoji={r.emoji}
            onClick={() => onToggle(r.emoji, mine)}
          >
            <span aria-hidden="true">{r.emoji}</span>
            <span className="count">{r.count}</span>
          </button>
        );
      })}
      <button
        type="button"
        className="chip add"
        title="Add a reaction"
        aria-label="Add a reaction"
        aria-expanded={pickerAt !== null}
        onClick={(e) => setPickerAt(pickerAt ? null : e.currentTarget)}
      >
        +
      </button>
      {pickerAt ? (
        <EmojiPicker
          anchor={pickerAt}
          onClose={() => setPickerAt(null)}
          onPick={(emoji) => {
            const existing = reactions.find((r) => r.emoji === emoji);
            onToggle(emoji, existing ? reacted(existing, me) : false);
          }}
        />
      ) : null}
    </div>
  );
}
