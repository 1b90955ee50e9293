// Message queries: writes through the group-commit writer, reads through the prepared reads. Promises,
// so that a database with asynchronous drivers (PostgreSQL) fits behind the same functions.
import type { Message } from "../protocol";
import type { MessageQueries, NewMessage, Stored } from "./data-layer";
import type { MessageWriter } from "./message-writer";
import { settled, type PreparedReads } from "./prepared-reads";

export function messageQueries(reads: PreparedReads, writer: MessageWriter): MessageQueries {
  return {
    /**
     * Stores a message once per (user, clientId): a retry gets the row the first attempt stored.
     * `created` says whether this call stored it (only new rows are broadcast). Resolves after the commit.
     */
    insertMessage: (m: NewMessage): Promise<Stored | null> => writer.insert(m),
    /** the newest `limit` messages, oldest first */
    latestMessages: (room: string, limit: number): Promise<Message[]> =>
      settled(() => reads.latestMessages(room, limit)),
    messagesAfter: (room: string, afterId: number, limit: number): Promise<Message[]> =>
      settled(() => reads.messagesAfter(room, afterId, limit)),
    messageIdsBetween: (room, afterId, upToId, limit) =>
      settled(() => reads.messageIdsBetween(room, afterId, upToId, limit)),
    /** gap fill across rooms: what came after `afterId` in any of `rooms`, oldest first */
    messagesAfterIn: (rooms: string[], afterId: number, limit: number): Promise<Message[]> =>
      settled(() => reads.messagesAfterIn(rooms, afterId, limit)),
    /** the `limit` messages just before `beforeId`, oldest first */
    messagesBefore: (room: string, beforeId: number, limit: number): Promise<Message[]> =>
      settled(() => reads.messagesBefore(room, beforeId, limit)),
    changesIn: (rooms, since, limit) => settled(() => reads.changesIn(rooms, since, limit)),
    findMessage: (id) => settled(() => reads.findMessage(id)),
    editMessage: (id, editorId, content, mentions) => writer.change({ kind: "edit", id, editorId, content, mentions }),
    deleteMessage: (id) => writer.change({ kind: "delete", id }),
    addReaction: (id, user, emoji) => writer.change({ kind: "react", id, ...user, emoji }),
    removeReaction: (id, userId, emoji) => writer.change({ kind: "unreact", id, userId, emoji }),
    purgeBefore: (cutoff, limit) => writer.purge(cutoff, limit),
  };
}
