"use client";
import { useState } from "react";
import type { ComposerMode } from "@/components/ComposerBar";
import type { Message } from "@/lib/protocol";

/**
 * The composer's mode in one conversation (`key`): editing or answering a message, or null. The message is
 * kept current from `held` (an edit elsewhere shows in the reply bar); once it is deleted the mode ends.
 */
export function useComposerMode(key: string, held: readonly Message[], me: string) {
  const [chosen, setChosen] = useState<{ key: string; mode: ComposerMode } | null>(null);
  const set = (mode: ComposerMode | null) => setChosen(mode ? { key, mode } : null);

  let mode = chosen?.key === key ? chosen.mode : null;
  if (mode) {
    const id = mode.message.id;
    const current = held.find((m) => m.id === id);
    mode = current?.deleted ? null : current ? { ...mode, message: current } : mode;
  }

  /** ↑ in an empty composer: the last message of one's own that is not deleted, for editing */
  const editLast = (): boolean => {
    for (let i = held.length - 1; i >= 0; i--) {
      const m = held[i];
      if (m && m.username === me && !m.deleted && !m.bot) {
        set({ kind: "edit", message: m });
        return true;
      }
    }
    return false;
  };

  return { mode, setMode: set, editLast };
}
