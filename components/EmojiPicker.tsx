"use client";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { createPortal } from "react-dom";
import { EMOJI, QUICK_REACTIONS, emojiName, searchEmoji } from "@/lib/web/emoji";

const WIDTH = 296;
const HEIGHT = 300;
const MARGIN = 8;

interface Props {
  /** the button that opened it: the picker sits next to it, and focus goes back to it on close */
  anchor: HTMLElement;
  onPick: (emoji: string) => void;
  onClose: () => void;
}

/** Where the picker fits: below the anchor, or above it when the viewport has no room below. */
function placeNear(anchor: HTMLElement): { top: number; left: number } {
  const rect = anchor.getBoundingClientRect();
  const below = rect.bottom + 4;
  const top = below + HEIGHT + MARGIN <= window.innerHeight ? below : Math.max(MARGIN, rect.top - HEIGHT - 4);
  const left = Math.min(Math.max(MARGIN, rect.left), window.innerWidth - WIDTH - MARGIN);
  return { top, left: Math.max(MARGIN, left) };
}

/**
 * A small searchable set of emoji (lib/web/emoji.ts), the quick reactions first. Escape, a click outside or
 * scrolling the page closes it; it is put in the document body, so no scrolling list clips it.
 */
export function EmojiPicker({ anchor, onPick, onClose }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const [query, setQuery] = useState("");
  // opened by a click, so only ever rendered in the browser: the anchor is there to measure
  const [place] = useState(() => placeNear(anchor));

  useEffect(() => {
    const outside = (e: Event) => {
      const target = e.target;
      if (!(target instanceof Node)) return;
      if (ref.current?.contains(target) || anchor.contains(target)) return;
      onClose();
    };
    document.addEventListener("pointerdown", outside, true);
    document.addEventListener("scroll", outside, true);
    window.addEventListener("resize", onClose);
    return () => {
      document.removeEventListener("pointerdown", outside, true);
      document.removeEventListener("scroll", outside, true);
      window.removeEventListener("resize", onClose);
    };
  }, [anchor, onClose]);

  const close = () => {
    onClose();
    anchor.focus();
  };
  const pick = (emoji: string) => {
    onPick(emoji);
    close();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== "Escape") return;
    e.preventDefault();
    e.stopPropagation();
    close();
  };

  const found = searchEmoji(query);
  const rest = query ? found : EMOJI.slice(QUICK_REACTIONS.length);

  return createPortal(
    <div
      ref={ref}
      className="emoji-picker"
      role="dialog"
      aria-label="Add a reaction"
      onKeyDown={onKeyDown}
      style={{ top: place.top, left: place.left }}
      data-testid="emoji-picker"
    >
      <input
        type="search"
        className="emoji-search"
        placeholder="Search emoji"
        aria-label="Search emoji"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          const first = found[0];
          if (e.key === "Enter" && first) {
            e.preventDefault();
            pick(first.emoji);
          }
        }}
        autoFocus
      />
      {query ? null : <EmojiGrid label="Quick reactions" emoji={[...QUICK_REACTIONS]} onPick={pick} quick />}
      <EmojiGrid label={query ? "Results" : "All"} emoji={rest.map((e) => e.emoji)} onPick={pick} />
      {found.length === 0 ? <p className="muted emoji-none">No emoji found.</p> : null}
    </div>,
    document.body,
  );
}

function EmojiGrid(props: { label: string; emoji: string[]; onPick: (emoji: string) => void; quick?: boolean }) {
  if (props.emoji.length === 0) return null;
  return (
    <div className={props.quick ? "emoji-grid quick" : "emoji-grid"} role="group" aria-label={props.label}>
      {props.emoji.map((emoji) => (
        <button
          key={emoji}
          type="button"
          className="emoji-option"
          title={emojiName(emoji)}
          aria-label={emojiName(emoji)}
          onClick={() => props.onPick(emoji)}
        >
          {emoji}
        </button>
      ))}
    </div>
  );
}
