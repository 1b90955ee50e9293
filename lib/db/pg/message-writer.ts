// The hot path on PostgreSQL: storing messages and the edits, deletes and reactions that change them, as group
// commit like SQLite's writer (message-writer.ts). Everything queued while a commit is in flight goes into the
// next transaction: consecutive new messages as one multi-row INSERT (their search documents in the same
// statement), their mentions as one more; every promise resolves after COMMIT.
//
// Order across processes: every writer transaction first takes one transaction-scoped advisory lock, and only
// then draws ids (the Message sequence) and seqs (MAX("seq") + 1 …). Writers are therefore serialised from that
// point to their COMMIT, and PostgreSQL makes a commit visible before it releases the transaction's locks: a
// transaction that draws id N+1 starts after id N is committed and visible. No reader can see N+1 before N in a
// room (ids and seqs both increase in commit order), whichever process wrote them. The price is one writer
// transaction at a time across the cluster; group commit amortises it (one fsync per batch).
import { NO_FAULTS, type Faults } from "../../fault";
import type { Changed, MessageChange, NewMessage, Stored } from "../data-layer";
import { prismaTimestamp, toMessage, type MessageRow } from "../message-rows";
import { toFileInfo, type UploadRow } from "../upload-rows";
import { createBatchSizer } from "../batch-sizer";
import { isRefusedData, storableText } from "./errors";
import { toTsvectorLiteral } from "../../search/tsquery";
import { applyPgChange } from "./message-changes";
import { purgePgMessages } from "./message-purge";
import { addQuotes, MESSAGE_COLUMNS, toMessages, type Queryable } from "./message-selects";
import { inTransaction, type Pool, type PoolClient } from "./pool";

const MAX_BATCH = 500;

/** the advisory lock every writer transaction holds from before its first id to its COMMIT */
export const WRITER_LOCK = 72707370;

type WriteOp = { kind: "insert"; m: NewMessage } | { kind: "purge"; cutoff: Date; limit: number } | MessageChange;
type WriteResult = Stored | Changed | number | null;

// One round trip for the whole run: the rows (a retry's conflicts skipped), their search documents ($12, by
// seq) and each author's profile as a new message shows it.
const INSERT = `WITH "ins" AS (
  INSERT INTO "Message" ("room", "userId", "username", "content", "createdAt", "clientId", "seq", "replyToId", "mentions", "botName", "botIconUrl")
  SELECT t."room", t."userId", t."username", t."content", $11::timestamp(3), t."clientId", t."seq", t."replyToId", t."mentions", t."botName", t."botIconUrl"
    FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::text[], $9::text[], $10::text[])
      WITH ORDINALITY AS t("room", "userId", "username", "content", "clientId", "seq", "replyToId", "mentions", "botName", "botIconUrl", "ord")
   ORDER BY t."ord"
  ON CONFLICT ("userId", "clientId") DO NOTHING
  RETURNING "id", "seq", "userId"
), "docs" AS (
  INSERT INTO "MessageSearch" ("messageId", "document")
  SELECT "ins"."id", d."doc"::tsvector FROM "ins" JOIN unnest($6::int[], $12::text[]) AS d("seq", "doc") ON d."seq" = "ins"."seq"
)
SELECT "ins"."id", "ins"."seq", u."displayName", a."id" AS "avatarId" FROM "ins"
  LEFT JOIN "User" u ON u."id" = "ins"."userId" LEFT JOIN "Avatar" a ON a."userId" = "ins"."userId"`;
// Only the id (and the author's profile) comes back: the rest of a stored row is what was sent (storedRow).
// Reading every column back made a second copy of each 2 KB content, alive until the batch's COMMIT; what a
// batch holds across its round trips ends up in V8's old generation, collected only once it has grown to a few
// times its live size: in a 40 MB flood those copies were over 10 MB of the server's growth
// (test/security/slow-consumers).
// The transaction's start in one round trip (a simple query: no parameters). The lock comes before the seq
// is read, as statements of their own: in READ COMMITTED each statement takes its own snapshot, so MAX("seq")
// sees every writer transaction that committed before this one got the lock.
// READ COMMITTED said outright: a server whose default is REPEATABLE READ would take the snapshot at the lock,
// before the wait, and read a stale MAX("seq").
const OPEN = `BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(${WRITER_LOCK}); SELECT COALESCE(MAX("seq"), 0) AS "seq" FROM "Message"`;

/** The highest stored seq, from OPEN's answer; a wrong shape is an error, never seqs counted again from 0. */
function openedSeq(opened: { rows: unknown[] }[]): number {
  const row = opened.length === 3 ? (opened[2]!.rows[0] as { seq?: unknown } | undefined) : undefined;
  const seq = Number(row?.seq);
  if (!Number.isSafeInteger(seq) || seq < 0) throw new Error("the writer's transaction did not read the highest seq");
  return seq;
}
const EXISTING = `SELECT ${MESSAGE_COLUMNS} FROM "Message"
  WHERE ("userId", "clientId") IN (SELECT * FROM unnest($1::int[], $2::text[]))`;
const MENTIONS = `INSERT INTO "Mention" ("messageId", "userId", "room")
  SELECT * FROM unnest($1::int[], $2::int[], $3::text[]) ON CONFLICT DO NOTHING`;
const ATTACH = `UPDATE "Upload" SET "messageId" = $1, "position" = $2 WHERE "id" = $3 AND "userId" = $4 AND "messageId" IS NULL`;
const FILES_OF = `SELECT "id", "name", "size", "type", "width", "height", "thumbnail", "messageId" FROM "Upload"
  WHERE "messageId" = $1 ORDER BY "position"`;

const keyOf = (userId: number, clientId: string) => `${userId}\u0000${clientId}`;
const mentionsColumn = (m: NewMessage): string =>
  m.mentions?.length ? JSON.stringify(m.mentions.map((u) => u.username)) : "[]";

/** The rows stored by earlier attempts of `ms` (same user and clientId), by key. */
async function existingRows(db: Queryable, ms: NewMessage[]): Promise<Map<string, MessageRow>> {
  const keyed = ms.filter((m) => m.clientId);
  if (keyed.length === 0) return new Map();
  const { rows } = await db.query<MessageRow>({
    name: "writer-existing",
    text: EXISTING,
    values: [keyed.map((m) => m.userId), keyed.map((m) => m.clientId)],
  });
  return new Map(rows.map((r) => [keyOf(r.userId, r.clientId!), r]));
}

/**
 * The row `m` is stored as (its id still 0): the columns the INSERT sends, as a select reads them back. Its
 * author's profile (addAuthors) is part of its shape from the start: adding two properties to every row later
 * allocated a new property store for it, 17 MB over a flood of 20,000 messages, all of it held until COMMIT.
 */
const storedRow = (m: NewMessage, seq: number, createdAt: string): MessageRow => ({
  id: 0,
  userId: m.userId,
  username: m.username,
  content: storableText(m.content),
  createdAt,
  room: m.room,
  clientId: m.clientId ?? null,
  seq,
  editedAt: null,
  deleted: 0,
  replyToId: m.replyToId ?? null,
  mentions: mentionsColumn(m),
  botName: m.bot ? storableText(m.bot.name) : null,
  botIconUrl: m.bot?.iconUrl ? storableText(m.bot.iconUrl) : null,
  displayName: null,
  avatarId: null,
});

/** One multi-row INSERT of new messages (in this order, each with its seq); the rows it stored, by seq. */
async function insertRows(db: Queryable, ms: NewMessage[], seqs: number[], at: Date): Promise<Map<number, MessageRow>> {
  const createdAt = prismaTimestamp(at);
  const rows = ms.map((m, i) => storedRow(m, seqs[i]!, createdAt));
  const col = <T>(f: (r: MessageRow) => T) => rows.map(f);
  const { rows: made } = await db.query<{
    id: number;
    seq: number;
    displayName: string | null;
    avatarId: string | null;
  }>({
    name: "writer-insert",
    text: INSERT,
    values: [
      col((r) => r.room),
      col((r) => r.userId),
      col((r) => r.username),
      col((r) => r.content),
      col((r) => r.clientId),
      seqs,
      col((r) => r.replyToId),
      col((r) => r.mentions),
      col((r) => r.botName),
      col((r) => r.botIconUrl),
      at,
      col((r) => toTsvectorLiteral(r.content)),
    ],
  });
  const bySeq = new Map(rows.map((r) => [r.seq, r]));
  // a row ON CONFLICT skipped is not returned (another attempt stored it), so it is not in the map
  return new Map(
    made.map(({ id, seq, displayName, avatarId }) => {
      const row = bySeq.get(seq)!;
      row.id = id;
      row.displayName = displayName;
      row.avatarId = avatarId;
      return [seq, row];
    }),
  );
}

/** Mention rows: never the author's own; a webhook's post mentions its maker too. */
async function mentionNew(db: Queryable, stored: { row: MessageRow; m: NewMessage }[]): Promise<void> {
  const mentions = stored.flatMap(({ row, m }) =>
    (m.mentions ?? [])
      .filter((u) => u.userId !== (m.bot ? 0 : m.userId))
      .map((u) => [row.id, u.userId, m.room] as const),
  );
  if (mentions.length === 0) return;
  await db.query({
    name: "writer-mentions",
    text: MENTIONS,
    values: [mentions.map((x) => x[0]), mentions.map((x) => x[1]), mentions.map((x) => x[2])],
  });
}

/**
 * Stores messages in arrival order: a retry (same user and clientId, earlier or in this run) gets the stored
 * row with created=false; the new ones are one INSERT. Retries are rare, so they are not looked for first:
 * the INSERT skips them (ON CONFLICT), and only then are their rows read. A retry's seq goes unused: seqs
 * only ever need to increase.
 */
async function storeRun(db: Queryable, ms: NewMessage[], at: Date, nextSeq: () => number): Promise<Stored[]> {
  const fresh: NewMessage[] = [];
  const seqs: number[] = [];
  const firstOfKey = new Map<string, number>();
  const plan = ms.map((m, i) => {
    const key = m.clientId ? keyOf(m.userId, m.clientId) : null;
    if (key && firstOfKey.has(key)) return { kind: "repeat" as const, of: firstOfKey.get(key)! };
    if (key) firstOfKey.set(key, i);
    fresh.push(m);
    seqs.push(nextSeq());
    return { kind: "new" as const, seq: seqs.at(-1)! };
  });
  const inserted = fresh.length ? await insertRows(db, fresh, seqs, at) : new Map<number, MessageRow>();
  const stored = fresh.flatMap((m, i) => {
    const row = inserted.get(seqs[i]!);
    return row ? [{ row, m }] : [];
  });
  await mentionNew(db, stored);
  // a new message needs only its parent's quote (no reactions or files yet; its author came with the INSERT)
  await addQuotes(
    db,
    stored.map((s) => s.row),
  );
  // a retry gets the stored message as it is now
  const retried = await existingRows(
    db,
    fresh.filter((_, i) => !inserted.has(seqs[i]!)),
  );
  const whole = new Map((await toMessages(db, [...retried.values()])).map((m) => [m.id, m]));
  const results: Stored[] = [];
  plan.forEach((p, i) => {
    if (p.kind === "repeat") return results.push({ message: results[p.of]!.message, created: false });
    const row = inserted.get(p.seq);
    if (row) return results.push({ message: toMessage(row), created: true });
    const m = ms[i]!;
    const found = retried.get(keyOf(m.userId, m.clientId ?? ""));
    if (!found) throw new Error("INSERT … ON CONFLICT stored nothing and found nothing");
    results.push({ message: whole.get(found.id)!, created: false });
  });
  return results;
}

/** A message with files, in a savepoint: null (and nothing stored) when one is no longer the author's unsent upload. */
async function storeWithFiles(
  client: PoolClient,
  m: NewMessage,
  at: Date,
  nextSeq: () => number,
): Promise<Stored | null> {
  await client.query("SAVEPOINT with_files");
  const [result] = await storeRun(client, [m], at, nextSeq);
  if (!result?.created) {
    await client.query("RELEASE SAVEPOINT with_files");
    return result ?? null;
  }
  for (const [i, id] of (m.files ?? []).entries()) {
    const { rowCount } = await client.query({
      name: "writer-attach",
      text: ATTACH,
      values: [result.message.id, i, id, m.userId],
    });
    if (rowCount !== 1) {
      await client.query("ROLLBACK TO SAVEPOINT with_files");
      return null;
    }
  }
  await client.query("RELEASE SAVEPOINT with_files");
  const files = await client.query<UploadRow>({ name: "writer-files-of", text: FILES_OF, values: [result.message.id] });
  return { ...result, message: { ...result.message, files: files.rows.map(toFileInfo) } };
}

const plainInsert = (op: WriteOp | undefined): boolean => op?.kind === "insert" && !op.m.files?.length;

/** Applies the ops from `i`: a run of plain inserts as one statement, else one op; the results and where to go on. */
async function applyFrom(client: PoolClient, batch: WriteOp[], i: number, at: Date, nextSeq: () => number) {
  const op = batch[i]!;
  if (plainInsert(op)) {
    let end = i;
    while (plainInsert(batch[end])) end++;
    const run = batch.slice(i, end).map((o) => (o as { m: NewMessage }).m);
    return { results: await storeRun(client, run, at, nextSeq), next: end };
  }
  let result: WriteResult;
  if (op.kind === "insert") result = await storeWithFiles(client, op.m, at, nextSeq);
  else if (op.kind === "purge") result = await purgePgMessages(client, op.cutoff, op.limit);
  else result = await applyPgChange(client, op, at, nextSeq);
  return { results: [result], next: i + 1 };
}

/** the batch, in a transaction that OPEN began: under the writer lock, `seq` the highest one stored */
async function writeBatch(client: PoolClient, seq: number, batch: WriteOp[], faults: Faults): Promise<WriteResult[]> {
  const nextSeq = () => ++seq;
  const at = new Date();
  const results: WriteResult[] = [];
  for (let i = 0; i < batch.length;) {
    const chunk = await applyFrom(client, batch, i, at, nextSeq);
    // test-only (lib/fault.ts): dies with a batch of several written but not committed, to prove none of it survives
    if (i === 0 && batch.length > 1)
      faults.pass("mid-batch", () => batch.map((o) => (o.kind === "insert" ? o.m.clientId : o.kind)).join(","));
    results.push(...chunk.results);
    i = chunk.next;
  }
  return results;
}

export function createPgMessageWriter(
  pool: Pool,
  { faults = NO_FAULTS, onCommit }: { faults?: Faults; onCommit?: (size: number, seconds: number) => void } = {},
) {
  let queue: { op: WriteOp; resolve: (r: WriteResult) => void; reject: (e: unknown) => void }[] = [];
  let draining = false;
  const sizer = createBatchSizer(MAX_BATCH);

  /** One batch at a time; what arrives during a commit waits for the next (arrival order kept). */
  async function drain(): Promise<void> {
    while (queue.length) {
      const batch = queue.slice(0, sizer.next());
      queue = queue.slice(batch.length);
      const started = performance.now();
      let results: WriteResult[];
      try {
        results = await inTransaction(
          pool,
          (client, opened) =>
            writeBatch(
              client,
              openedSeq(opened),
              batch.map((p) => p.op),
              faults,
            ),
          OPEN,
        );
      } catch (err) {
        // refused for one write's data, it was rolled back whole: tried again in halves (batch-sizer.ts)
        // until that write is alone; anything else (a lost connection, whose COMMIT may have gone through)
        // fails the batch as it is
        if (isRefusedData(err) && sizer.split(batch.length)) {
          queue = [...batch, ...queue];
          continue;
        }
        sizer.settled(batch.length);
        batch.forEach((p) => p.reject(err));
        continue;
      }
      sizer.settled(batch.length);
      batch.forEach((p, i) => p.resolve(results[i] ?? null));
      onCommit?.(batch.length, (performance.now() - started) / 1000);
    }
    draining = false;
  }

  function enqueue(op: WriteOp): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      queue.push({ op, resolve, reject });
      if (!draining) {
        draining = true;
        setImmediate(() => void drain());
      }
    });
  }

  return {
    insert: (m: NewMessage) => enqueue({ kind: "insert", m }) as Promise<Stored | null>,
    change: (c: MessageChange) => enqueue(c) as Promise<Changed | null>,
    purge: (cutoff: Date, limit: number) => enqueue({ kind: "purge", cutoff, limit }) as Promise<number>,
    /** resolves once everything queued so far is committed (close waits for it) */
    async idle(): Promise<void> {
      while (draining) await new Promise((r) => setTimeout(r, 5));
    },
  };
}
export type PgMessageWriter = ReturnType<typeof createPgMessageWriter>;
