/** "3" on screen, "3 unread" to a screen reader; nothing when there is nothing new. */
export function UnreadBadge({ count, urgent = false }: { count: number; urgent?: boolean }) {
  if (count <= 0) return null;
  // role="img": a named graphic, so the label (not the bare number) is what assistive tech reads
  return (
    <span className={urgent ? "badge urgent" : "badge"} data-testid="unread" role="img" aria-label={`${count} unread`}>
      {count > 99 ? "99+" : count}
    </span>
  );
}

/** "@2" in the attention colour: unread messages that mention the user, apart from the plain unread count. */
export function MentionBadge({ count }: { count: number }) {
  if (count <= 0) return null;
  const label = count === 1 ? "1 mention" : `${count} mentions`;
  return (
    <span className="badge urgent" data-testid="mentions" role="img" aria-label={label}>
      @{count > 99 ? "99+" : count}
    </span>
  );
}
