// The hot path of the data layer: storing messages, and the edits, deletes and reactions that change them. Group commit on a dedicated better-sqlite3 connection
// with prepared statements, so a message costs microseconds of SQL rather than an ORM round trip (the
// reads are in prepared-reads.ts). PostgreSQL's counterpart: lib/db/pg/message-writer.ts.
import Database, { SqliteError } from "better-sqlite3";
import {
  MESSAGE_COLUMNS,
  prismaTimestamp,
  QUOTE_COLUMNS,
  quoteFields,
  toMessage,
  type MessageRow,
  type QuoteRow,
} from "./message-rows";
import type { Changed, MessageChange, NewMessage, Stored } from "./data-layer";
import { createMessageChanges } from "./message-changes";
import { createMessageSelects } from "./message-selects";
import { NO_FAULTS, type Faults } from "../fault";
import { createMentionRows } from "./mention-rows";
import { createMessagePurge } from "./message-purge";
import { createReadMarkers } from "./read-markers";
import { createBatchSizer } from "./batch-sizer";
import { createSearchIndexer } from "./search-indexer";
import { autoCheckpointPragma, synchronousName, WRITER_PRAGMAS, type EffectivePragmas } from "./pragmas";

const MAX_BATCH = 500;
const BUSY_RETRY_MS = 5;
/** how often the search index takes in what was stored meanwhile (a search takes it in first anyway) */
const SEARCH_INDEX_EVERY_MS = 1000;

/** One entry of the queue: a new message, a change to a stored one, retention, or a read marker. */
type WriteOp =
  | { kind: "insert"; m: NewMessage }
  | { kind: "purge"; cutoff: Date; limit: number }
  | { kind: "read"; roomId: number; userId: number; lastReadId: number }
  | MessageChange;
type WriteResult = Stored | Changed | number | null;

/** another connection (Prisma's) holds the write lock: try again later rather than fail */
const isBusy = (err: unknown): boolean => err instanceof SqliteError && err.code.startsWith("SQLITE_BUSY");

/** the batch's server-wide sequence: counted up in commit order from one read of its maximum */
interface SeqCounter {
  peek: () => number;
  next: () => number;
}

/**
 * Whether a row reads back exactly as its values were written: better-sqlite3 writes a lone surrogate (valid
 * in a JS string) as bytes that read back as three U+FFFD, so such a message is read back instead. Validation
 * already makes people's text well-formed (protocol.ts' userText); this keeps the ack true for any other caller.
 */
const readsBackAsWritten = (m: NewMessage): boolean =>
  [m.content, m.username, m.room, m.bot?.name ?? "", m.bot?.iconUrl ?? ""].every((s) => s.isWellFormed());

/** the row just inserted, from the values written (cheaper than RETURNING its columns) */
function writtenRow(m: NewMessage, stored: { id: number; at: string; seq: number; mentions: string }): MessageRow {
  return {
    id: stored.id,
    userId: m.userId,
    username: m.username,
    content: m.content,
    createdAt: stored.at,
    room: m.room,
    clientId: m.clientId ?? null,
    seq: stored.seq,
    editedAt: null,
    deleted: 0,
    replyToId: m.replyToId ?? null,
    mentions: stored.mentions,
    botName: m.bot?.name ?? null,
    botIconUrl: m.bot?.iconUrl ?? null,
  };
}

/** An attached file that is no longer the sender's to send (sent meanwhile, or swept): only that message fails. */
class FilesTaken extends Error {}

export function createMessageWriter(
  databasePath: string,
  { faults = NO_FAULTS, onCommit }: { faults?: Faults; onCommit?: (size: number, seconds: number) => void } = {},
) {
  // timeout 0: this connection shares the thread with Prisma's, so it must never sleep waiting for a lock
  // Prisma holds across an await; a busy database is retried later instead (see drain)
  const conn = new Database(databasePath, { timeout: 0 });
  // WAL, and an fsync at every commit so an ack always follows a durable write
  for (const pragma of WRITER_PRAGMAS) conn.pragma(pragma);
  const selects = createMessageSelects(conn);
  const mentionRows = createMentionRows(conn);
  const changes = createMessageChanges(conn, selects, mentionRows);
  const purge = createMessagePurge(conn);
  const markRead = createReadMarkers(conn);
  const findStored = conn.prepare<[number, string], MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM "Message" WHERE "userId" = ? AND "clientId" = ?`,
  );
  const insert = conn.prepare<
    [
      string,
      number,
      string,
      string,
      string,
      string | null,
      number,
      number | null,
      string,
      string | null,
      string | null,
    ],
    unknown
  >(
    `INSERT INTO "Message" ("room", "userId", "username", "content", "createdAt", "clientId", "seq", "replyToId", "mentions", "botName", "botIconUrl")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT ("userId", "clientId") DO NOTHING`,
  );
  // this connection is the only one writing messages, and the sequence is read inside its transaction:
  // one read per batch, then counted up in commit order
  const maxSeq = conn.prepare<[], number>(`SELECT COALESCE(MAX("seq"), 0) FROM "Message"`).pluck();
  const parentQuote = conn.prepare<[number], QuoteRow>(`SELECT ${QUOTE_COLUMNS} FROM "Message" WHERE "id" = ?`);

  /** A retry of a stored (user, clientId) finds that row; the unique index answers that in the INSERT itself. */
  function store(m: NewMessage, at: string, seq: SeqCounter): Stored {
    const mentions = mentionRows.column(m.mentions);
    const rowSeq = seq.peek();
    const done = insert.run(
      m.room,
      m.userId,
      m.username,
      m.content,
      at,
      m.clientId ?? null,
      rowSeq,
      m.replyToId ?? null,
      mentions,
      m.bot?.name ?? null,
      m.bot?.iconUrl ?? null,
    );
    if (done.changes === 0) {
      const stored = m.clientId ? findStored.get(m.userId, m.clientId) : undefined;
      if (!stored) throw new Error("the message was neither inserted nor found stored");
      return { message: selects.toMessages([stored])[0]!, created: false };
    }
    const id = Number(done.lastInsertRowid);
    const row = readsBackAsWritten(m) ? writtenRow(m, { id, at, seq: rowSeq, mentions }) : selects.row(id)!;
    // a webhook's post mentions its maker too: it is the bot speaking, not them
    mentionRows.add(row.id, m.room, m.bot ? 0 : m.userId, m.mentions);
    // a plain message needs only its author's profile: no reactions yet, no parent
    const parent = m.replyToId === undefined ? undefined : parentQuote.get(m.replyToId);
    if (parent) Object.assign(row, quoteFields(parent));
    const files = m.files?.length ? selects.uploads.attach(row.id, m.userId, m.files) : [];
    if (!files) throw new FilesTaken();
    seq.next(); // taken only by a stored row: a retry, or a message whose files were taken, leaves no gap
    selects.addAuthors([row]);
    return { message: toMessage(row, [], files), created: true };
  }

  // a savepoint: a message whose files were taken meanwhile is rolled back alone, the batch goes on
  const storeWithFiles = conn.transaction(store);
  function storeOne(m: NewMessage, at: string, seq: SeqCounter): Stored | null {
    if (!m.files?.length) return store(m, at, seq);
    try {
      return storeWithFiles(m, at, seq);
    } catch (err) {
      if (err instanceof FilesTaken) return null;
      throw err;
    }
  }

  // one transaction, one fsync, for the whole batch; a repeated (user, clientId) finds the first one's row
  const writeBatch = conn.transaction((batch: WriteOp[]): WriteResult[] => {
    const at = prismaTimestamp(new Date());
    let last = maxSeq.get() ?? 0;
    const seq: SeqCounter = { peek: () => last + 1, next: () => ++last };
    return batch.map((op, i) => {
      // test-only (lib/fault.ts): dies with the batch half written, to prove none of it survives
      if (i === 1)
        faults.pass("mid-batch", () => batch.map((o) => (o.kind === "insert" ? o.m.clientId : o.kind)).join(","));
      if (op.kind === "insert") return storeOne(op.m, at, seq);
      if (op.kind === "read") return markRead(op.roomId, op.userId, op.lastReadId);
      return op.kind === "purge" ? purge(op.cutoff, op.limit) : changes.apply(op, at, seq.next);
    });
  });

  // the search index, in batches outside the messages' commits (search-indexer.ts): first what a crash left
  // (a database that cannot be indexed at all fails here, at start, rather than later)
  const searchIndex = createSearchIndexer(conn);
  try {
    searchIndex.reconcile();
    searchIndex.flush();
  } catch (err) {
    if (!isBusy(err)) throw err;
  }
  /**
   * Never throws: a batch that fails (another connection writing, a full disk) leaves its messages above the
   * mark for the next one, and a search meanwhile reads the index as it is. Whether it caught up.
   */
  function indexForSearch(): boolean {
    try {
      searchIndex.flush();
      return true;
    } catch {
      return false;
    }
  }
  const indexTimer = setInterval(indexForSearch, SEARCH_INDEX_EVERY_MS).unref();

  let queue: { op: WriteOp; resolve: (r: WriteResult) => void; reject: (e: unknown) => void }[] = [];
  let scheduled = false;
  const sizer = createBatchSizer(MAX_BATCH);

  /**
   * Group commit: everything queued while the event loop was busy (including while the last commit's fsync
   * ran) goes into the next transaction. Batches run in arrival order, so ids follow the order messages
   * were received.
   */
  function drain(): void {
    scheduled = false;
    while (queue.length) {
      const batch = queue.slice(0, sizer.next());
      let results: WriteResult[];
      const started = performance.now();
      try {
        results = writeBatch(batch.map((p) => p.op));
      } catch (err) {
        if (isBusy(err)) {
          // another connection (Prisma's) is writing: try again shortly, order kept
          scheduled = true;
          setTimeout(drain, BUSY_RETRY_MS);
          return;
        }
        // rolled back whole: tried again in halves (see batch-sizer.ts), until the bad write is alone
        if (sizer.split(batch.length)) continue;
        sizer.settled(1);
        queue = queue.slice(1);
        batch[0]!.reject(err);
        continue;
      }
      sizer.settled(batch.length);
      queue = queue.slice(batch.length);
      batch.forEach((p, i) => p.resolve(results[i] ?? null));
      onCommit?.(batch.length, (performance.now() - started) / 1000);
    }
  }

  function enqueue(op: WriteOp): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      queue.push({ op, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(drain);
      }
    });
  }

  return {
    /** Resolves after the commit; a retry of a stored (user, clientId) resolves with the stored row. */
    insert: (m: NewMessage) => enqueue({ kind: "insert", m }) as Promise<Stored | null>,
    /** An edit, delete or reaction change, in the same queue (and batches) as inserts; resolves after the commit. */
    change: (c: MessageChange) => enqueue(c) as Promise<Changed | null>,
    /** Retention: deletes up to `limit` messages created before `cutoff` in the next batch; how many it deleted. */
    purge: (cutoff: Date, limit: number) => enqueue({ kind: "purge", cutoff, limit }) as Promise<number>,
    /** moves a read marker forward, in the next batch; the marker now (0 when not a member) */
    markRead: (roomId: number, userId: number, lastReadId: number) =>
      enqueue({ kind: "read", roomId, userId, lastReadId }) as Promise<number>,
    /** indexes for search every message stored since the last batch (what a search runs first); never throws */
    indexForSearch,
    /** SQLite's checkpoint inside commits: off while lib/db/checkpointer.ts does it on its own thread */
    autoCheckpoint(on: boolean): void {
      conn.pragma(autoCheckpointPragma(on));
    },
    /** what this connection really runs with (read back from SQLite) */
    pragmas(): EffectivePragmas {
      return {
        journalMode: String(conn.pragma("journal_mode", { simple: true })),
        synchronous: synchronousName(Number(conn.pragma("synchronous", { simple: true }))),
        foreignKeys: Number(conn.pragma("foreign_keys", { simple: true })) === 1,
      };
    },
    close(): void {
      clearInterval(indexTimer);
      indexForSearch(); // what it misses is indexed at the next start
      conn.close();
    },
  };
}
export type MessageWriter = ReturnType<typeof createMessageWriter>;
