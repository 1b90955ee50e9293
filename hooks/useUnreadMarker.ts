"use client";
import { useState } from "react";
import type { RoomSummary } from "@/lib/protocol";
import type { UnreadMarker } from "@/lib/web/message-groups";

/**
 * The room's read marker as it was on entering the room (the first time its summary is known here), kept
 * while the reader stays: reading moves the marker at once, but the "New messages" line should stay where
 * the unread messages began until the reader leaves. Null when nothing was unread.
 */
export function useUnreadMarker(key: string, room: RoomSummary | undefined): UnreadMarker | null {
  const [entry, setEntry] = useState<{ key: string; marker: UnreadMarker | null } | null>(null);
  if (room && entry?.key !== key) {
    const unread = room.lastMessageId > room.lastReadId;
    const marker = unread ? { readUpTo: room.lastReadId, newestAtEntry: room.lastMessageId } : null;
    setEntry({ key, marker });
  }
  return entry?.key === key ? entry.marker : null;
}
