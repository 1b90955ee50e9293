"use client";
import type { Completion } from "@/hooks/useCompletion";

/** The `@`/`#` suggestions above the composer: a listbox the box (a combobox) points into. */
export function CompletionList({ id, completion }: { id: string; completion: Completion }) {
  const { trigger, options, index, choose } = completion;
  if (!trigger || options.length === 0) return null;
  return (
    <ul role="listbox" id={id} className="completions" aria-label={trigger.char === "@" ? "People" : "Rooms"}>
      {options.map((name, i) => (
        <li
          key={name}
          id={`${id}-${i}`}
          role="option"
          aria-selected={i === index}
          // mousedown, not click: the box keeps its focus and caret
          onMouseDown={(e) => {
            e.preventDefault();
            choose(name);
          }}
        >
          <span aria-hidden="true">{trigger.char}</span>
          {name}
        </li>
      ))}
    </ul>
  );
}
