"use client";
import { useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from "react";
import type { RoomSummary } from "@/lib/protocol";
import { complete, findTrigger, suggest, type Trigger } from "@/lib/web/autocomplete";
import { useChatState } from "./useChat";

export interface CompletionSources {
  /** for `@`: the room's members (and @here/@room) */
  people: readonly string[];
  /** for `#`: the user's rooms */
  rooms: readonly string[];
}

export interface Completion {
  trigger: Trigger | null;
  options: string[];
  /** the highlighted option */
  index: number;
  choose: (name: string) => void;
  /** handles ↑ ↓ Enter Tab Escape while the list is open; true when it did */
  onKeyDown: (e: KeyboardEvent<HTMLTextAreaElement>) => boolean;
  /** call on change and selection: the caret decides which word is being completed */
  track: () => void;
}

/** The composer's `@`/`#` popup state, over the box's controlled text. */
export function useCompletion(
  text: string,
  setText: (value: string) => void,
  box: RefObject<HTMLTextAreaElement | null>,
  sources: CompletionSources,
): Completion {
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState({ key: "", index: 0 });
  const [dismissed, setDismissed] = useState<string | null>(null);
  const pendingCaret = useRef<number | null>(null);

  // after an insertion the controlled value changed: the caret goes after the inserted name
  useLayoutEffect(() => {
    const el = box.current;
    if (pendingCaret.current === null || !el) return;
    el.setSelectionRange(pendingCaret.current, pendingCaret.current);
    pendingCaret.current = null;
  });

  const found = findTrigger(text, Math.min(caret, text.length));
  const key = found ? `${found.start}:${found.char}${found.query}` : "";
  const trigger = found && dismissed !== `${found.start}` ? found : null;
  const options = trigger ? suggest(trigger.char === "@" ? sources.people : sources.rooms, trigger.query) : [];
  const index = active.key === key ? Math.min(active.index, options.length - 1) : 0;

  const choose = (name: string) => {
    if (!trigger) return;
    const next = complete(text, trigger, caret, name);
    pendingCaret.current = next.caret;
    setCaret(next.caret);
    setText(next.text);
    box.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    const option = options[index];
    if (!trigger || option === undefined) return false;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      const step = e.key === "ArrowDown" ? 1 : options.length - 1;
      setActive({ key, index: (index + step) % options.length });
    } else if ((e.key === "Enter" && !e.shiftKey) || e.key === "Tab") {
      choose(option);
    } else if (e.key === "Escape") {
      setDismissed(`${trigger.start}`);
    } else {
      return false;
    }
    e.preventDefault();
    e.stopPropagation();
    return true;
  };

  const track = () => {
    const el = box.current;
    if (!el) return;
    setCaret(el.selectionStart);
    // a new word (or the box emptied) may be completed again
    if (dismissed !== null && !findTrigger(el.value, el.selectionStart)) setDismissed(null);
  };

  return { trigger, options, index, choose, onKeyDown, track };
}

/** `@`: the conversation's other members (a DM: its peer), then @here and @room; `#`: the user's rooms. */
export function useCompletionSources(key: string, room: RoomSummary | undefined, me: string): CompletionSources {
  const members = useChatState((s) => s.members[key]);
  const rooms = useChatState((s) => s.rooms);
  const peer = room?.peer;
  return useMemo(() => {
    const others = (members ?? []).filter((u) => u.toLowerCase() !== me.toLowerCase());
    const people = peer ? [peer] : [...others.sort((a, b) => a.localeCompare(b)), "here", "room"];
    return { people, rooms: rooms.filter((r) => r.kind === "room").map((r) => r.name) };
  }, [members, rooms, peer, me]);
}
