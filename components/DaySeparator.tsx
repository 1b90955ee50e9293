import { dayLabel } from "@/lib/web/day-label";

/** "Today", "Yesterday", "Saturday 28 November"…: a heading, so screen readers can jump between days. */
export function DaySeparator({ date, now }: { date: Date; now: number }) {
  return (
    <li className="day-separator" data-testid="day-separator">
      <h2 className="day-label">{dayLabel(date, { now: new Date(now) })}</h2>
    </li>
  );
}

/** Above the first message that was unread on entering the room. */
export function NewMessagesLine() {
  return (
    <li className="new-line" data-testid="new-messages">
      <span>New messages</span>
    </li>
  );
}
