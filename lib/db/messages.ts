import { Prisma } from "../generated/prisma/client";
import type { Message } from "../protocol";
import type { Db } from "./client";

export interface NewMessage {
  userId: number;
  username: string;
  room: string;
  content: string;
  clientId?: string;
}

const fields = { id: true, username: true, content: true, createdAt: true, room: true, clientId: true } as const;

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

export function messageQueries(db: Db) {
  return {
    /**
     * Stores a message once per (user, clientId): a retry gets the row the first attempt stored.
     * `created` says whether this call stored it (only new rows are broadcast).
     */
    async insertMessage(m: NewMessage): Promise<{ message: Message; created: boolean }> {
      const stored = async () =>
        m.clientId
          ? db.message.findUnique({
              where: { userId_clientId: { userId: m.userId, clientId: m.clientId } },
              select: fields,
            })
          : null;
      const existing = await stored();
      if (existing) return { message: toMessage(existing), created: false };
      try {
        const row = await db.message.create({ data: m, select: fields });
        return { message: toMessage(row), created: true };
      } catch (err) {
        // a concurrent retry with the same clientId committed first: answer with its row
        const raced = err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002" && (await stored());
        if (raced) return { message: toMessage(raced), created: false };
        throw err;
      }
    },
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
