// The fields a message has before anyone edits, deletes or reacts to it, for tests that build messages.
import type { Message } from "@/lib/protocol";

export const unchanged = (
  id: number,
): Pick<Message, "seq" | "editedAt" | "deleted" | "reactions" | "replyTo" | "mentions" | "files"> => ({
  seq: id,
  editedAt: null,
  deleted: false,
  reactions: [],
  replyTo: null,
  mentions: [],
  files: [],
});
