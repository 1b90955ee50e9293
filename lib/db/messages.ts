import type { Message } from "../protocol";
import type { Db } from "./client";

export interface NewMessage {
  userId: number;
  username: string;
  room: string;
  content: string;
  clientId?: string;
}

const fields = {
  id: true,
  userId: true,
  username: true,
  content: true,
  createdAt: true,
  room: true,
  clientId: true,
} as const;

interface Row {
  id: number;
  userId: number;
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
     * `created` says whether this call stored it (only new rows are broadcast). Resolves after the commit.
     */
    insertMessage: groupCommit(db),
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

export interface Stored {
  message: Message;
  created: boolean;
}

// two parameters per row in the clientId lookup: stays under SQLite's parameter limit
const MAX_BATCH = 200;
const keyOf = (userId: number, clientId: string) => `${userId}|${clientId}`;

/**
 * Group commit: the inserts that arrive while a commit is in flight are written together in the next
 * transaction, so one fsync covers many messages. Batches run one at a time, in arrival order, which keeps
 * ids in the order the messages were received and makes the (user, clientId) check race-free.
 */
function groupCommit(db: Db): (m: NewMessage) => Promise<Stored> {
  let queue: { m: NewMessage; resolve: (s: Stored) => void; reject: (e: unknown) => void }[] = [];
  let running = false;

  async function writeBatch(batch: NewMessage[]): Promise<Stored[]> {
    const keyed = batch.filter((m) => m.clientId);
    const found = keyed.length
      ? await db.message.findMany({
          where: { OR: keyed.map((m) => ({ userId: m.userId, clientId: m.clientId })) },
          select: fields,
        })
      : [];
    const known = new Map<string, Row>();
    for (const row of found) known.set(keyOf(row.userId, row.clientId!), row);
    // repeats inside the batch point at the first occurrence
    const firstIndex = new Map<string, number>();
    const toCreate: NewMessage[] = [];
    type Step = { row: Row } | { repeatOf: number } | { create: number };
    const plan = batch.map((m): Step => {
      const key = m.clientId ? keyOf(m.userId, m.clientId) : null;
      const row = key ? known.get(key) : undefined;
      if (row) return { row };
      const earlier = key ? firstIndex.get(key) : undefined;
      if (earlier !== undefined) return { repeatOf: earlier };
      if (key) firstIndex.set(key, toCreate.length);
      toCreate.push(m);
      return { create: toCreate.length - 1 };
    });
    // one INSERT … RETURNING for the whole batch; ids follow insertion order, so sorting restores it
    const created = toCreate.length
      ? (await db.message.createManyAndReturn({ data: toCreate, select: fields })).sort((a, b) => a.id - b.id)
      : [];
    return plan.map((p) => {
      if ("row" in p) return { message: toMessage(p.row), created: false };
      if ("repeatOf" in p) return { message: toMessage(created[p.repeatOf]!), created: false };
      return { message: toMessage(created[p.create]!), created: true };
    });
  }

  async function drain(): Promise<void> {
    running = true;
    while (queue.length) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(MAX_BATCH);
      try {
        const results = await writeBatch(batch.map((p) => p.m));
        batch.forEach((p, i) => p.resolve(results[i]!));
      } catch (err) {
        batch.forEach((p) => p.reject(err));
      }
    }
    running = false;
  }

  return (m) =>
    new Promise<Stored>((resolve, reject) => {
      queue.push({ m, resolve, reject });
      // setImmediate: everything that arrives in this turn of the event loop joins the same batch
      if (!running) {
        running = true;
        setImmediate(() => void drain());
      }
    });
}
