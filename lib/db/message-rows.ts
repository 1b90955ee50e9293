// Message rows as better-sqlite3 returns them (the writer and the prepared reads share this shape).
import type { Message } from "../protocol";

export const MESSAGE_COLUMNS = `"id", "username", "content", "createdAt", "room", "clientId"`;

export interface MessageRow {
  id: number;
  username: string;
  content: string;
  createdAt: string | number;
  room: string;
  clientId: string | null;
}

/** Prisma stores DateTime as ISO 8601 text with an explicit offset; this writes the same. */
export const prismaTimestamp = (d: Date): string => d.toISOString().replace("Z", "+00:00");

export function toMessage(row: MessageRow): Message {
  const message: Message = {
    id: row.id,
    username: row.username,
    content: row.content,
    timestamp: fromSqliteDate(row.createdAt).toISOString(),
    room: row.room,
    seq: row.id,
    editedAt: null,
    deleted: false,
    reactions: [],
    replyTo: null,
  };
  if (row.clientId) message.clientId = row.clientId;
  return message;
}

/** A DateTime column read without Prisma: Prisma writes ISO text, older rows may hold epoch milliseconds. */
export function fromSqliteDate(value: string | number): Date {
  return new Date(typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value);
}
