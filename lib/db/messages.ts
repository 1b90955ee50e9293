import type { Message } from "../protocol";
import type { Db } from "./client";
import type { MessageWriter, NewMessage, Stored } from "./message-writer";

const fields = {
  id: true,
  username: true,
  content: true,
  createdAt: true,
  room: true,
  clientId: true,
} as const;

interface Row {
  id: number;
  username: string;
  content: string;
  createdAt: Date;
  room: string;
  clientId: string | null;
}

function toMessage(row: Row): Message {
  const message: Message = {
    id: row.id,
    username: row.username,
    content: row.content,
    timestamp: row.createdAt.toISOString(),
    room: row.room,
  };
  if (row.clientId) message.clientId = row.clientId;
  return message;
}

export function messageQueries(db: Db, writer: MessageWriter) {
  return {
    /**
     * Stores a message once per (user, clientId): a retry gets the row the first attempt stored.
     * `created` says whether this call stored it (only new rows are broadcast). Resolves after the commit.
     */
    insertMessage: (m: NewMessage): Promise<Stored> => writer.insert(m),
    /** the newest `limit` messages, oldest first */
    async latestMessages(room: string, limit: number): Promise<Message[]> {
      const rows = await db.message.findMany({ where: { room }, orderBy: { id: "desc" }, take: limit, select: fields });
      return rows.reverse().map(toMessage);
    },
    async messagesAfter(room: string, afterId: number, limit: number): Promise<Message[]> {
      const rows = await db.message.findMany({
        where: { room, id: { gt: afterId } },
        orderBy: { id: "asc" },
        take: limit,
        select: fields,
      });
      return rows.map(toMessage);
    },
    /** gap fill across rooms: what came after `afterId` in any of `rooms`, oldest first */
    async messagesAfterIn(rooms: string[], afterId: number, limit: number): Promise<Message[]> {
      const rows = await db.message.findMany({
        where: { room: { in: rooms }, id: { gt: afterId } },
        orderBy: { id: "asc" },
        take: limit,
        select: fields,
      });
      return rows.map(toMessage);
    },
    /** the `limit` messages just before `beforeId`, oldest first */
    async messagesBefore(room: string, beforeId: number, limit: number): Promise<Message[]> {
      const rows = await db.message.findMany({
        where: { room, id: { lt: beforeId } },
        orderBy: { id: "desc" },
        take: limit,
        select: fields,
      });
      return rows.reverse().map(toMessage);
    },
  };
}
export type MessageQueries = ReturnType<typeof messageQueries>;
