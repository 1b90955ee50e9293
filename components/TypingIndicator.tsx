"use client";
import { useChat, useChatState } from "@/hooks/useChat";

/** "alice is typing…" under the messages; the line keeps its height so nothing moves when it appears. */
export function TypingIndicator({ room }: { room: string }) {
  const { me } = useChat();
  const typing = useChatState((s) => s.typing[room]);
  const names = Object.keys(typing ?? {})
    .filter((n) => n !== me)
    .sort();
  let text = "";
  if (names.length === 1) text = `${names[0]} is typing…`;
  else if (names.length === 2) text = `${names[0]} and ${names[1]} are typing…`;
  else if (names.length > 2) text = "Several people are typing…";
  return (
    <div className="typing" aria-live="polite" data-testid="typing">
      {text}
    </div>
  );
}
