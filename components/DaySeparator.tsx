import { dayLabel } from "@/lib/web/day-label";

/** "Today", "Yesterday", "Saturday 28 November"…: sticks to the top while its day is scrolled through. */
export function DaySeparator({ date, now }: { date: Date; now: number }) {
  const label = dayLabel(date, { now: new Date(now) });
  return (
    <li className="day-separator" data-testid="day-separator" role="separator" aria-label={label}>
      <span aria-hidden="true">{label}</span>
    </li>
  );
}

/** Above the first message that was unread on entering the room. */
export function NewMessagesLine() {
  return (
    <li className="new-line" data-testid="new-messages" role="separator" aria-label="New messages">
      <span aria-hidden="true">New messages</span>
    </li>
  );
}
