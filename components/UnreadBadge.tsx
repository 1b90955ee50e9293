/** "3" on screen, "3 unread" to a screen reader; nothing when there is nothing new. */
export function UnreadBadge({ count }: { count: number }) {
  if (count <= 0) return null;
  // role="img": a named graphic, so the label (not the bare number) is what assistive tech reads
  return (
    <span className="badge" data-testid="unread" role="img" aria-label={`${count} unread`}>
      {count > 99 ? "99+" : count}
    </span>
  );
}
