// Edits, deletes and reaction changes as the PostgreSQL writer applies them inside its batch transaction,
// exactly as message-changes.ts does on SQLite: idempotent (a change that finds the state it asks for takes no
// seq), the answer read in the same transaction. The search document follows the content here (SQLite's
// index follows by triggers).
import type { Changed, MessageChange } from "../data-layer";
import type { Member } from "../../notify/mentions";
import { toTsvectorLiteral } from "../../search/tsquery";
import { storableText } from "./errors";
import { wholeMessage, type Queryable } from "./message-selects";
import type { PoolClient } from "./pool";

interface Current {
  content: string;
  deleted: boolean;
  room: string;
  userId: number;
}

const UPSERT_DOCS = `INSERT INTO "MessageSearch" ("messageId", "document")
  SELECT t."id", t."doc"::tsvector FROM unnest($1::int[], $2::text[]) AS t("id", "doc")
  ON CONFLICT ("messageId") DO UPDATE SET "document" = excluded."document"`;

/** Writes (or replaces) the search documents of live messages. */
async function searchDocuments(db: Queryable, messages: { id: number; content: string }[]): Promise<void> {
  if (messages.length === 0) return;
  await db.query({
    name: "search-upsert",
    text: UPSERT_DOCS,
    values: [messages.map((m) => m.id), messages.map((m) => toTsvectorLiteral(m.content))],
  });
}

async function run(client: PoolClient, name: string, text: string, values: unknown[]): Promise<number> {
  return (await client.query({ name, text, values })).rowCount ?? 0;
}

async function replaceMentions(client: PoolClient, id: number, before: Current, mentions: Member[]): Promise<void> {
  await run(client, "chg-mentions-drop", `DELETE FROM "Mention" WHERE "messageId" = $1`, [id]);
  const column = mentions.length ? JSON.stringify(mentions.map((m) => m.username)) : "[]";
  await run(client, "chg-mentions-col", `UPDATE "Message" SET "mentions" = $1 WHERE "id" = $2`, [column, id]);
  const others = mentions.filter((m) => m.userId !== before.userId);
  if (others.length)
    await run(
      client,
      "chg-mentions-add",
      `INSERT INTO "Mention" ("messageId", "userId", "room") SELECT $1, u, $3 FROM unnest($2::int[]) AS u ON CONFLICT DO NOTHING`,
      [id, others.map((m) => m.userId), before.room],
    );
}

/** true when the change altered the row (it then has the next seq) */
async function alter(client: PoolClient, c: MessageChange, before: Current, at: Date, nextSeq: () => number) {
  switch (c.kind) {
    case "edit": {
      const content = storableText(c.content);
      if (before.content === content) return false;
      await run(
        client,
        "chg-edit-history",
        `INSERT INTO "MessageEdit" ("messageId", "editorId", "previousContent", "editedAt") VALUES ($1, $2, $3, $4)`,
        [c.id, c.editorId, before.content, at],
      );
      await run(
        client,
        "chg-edit",
        `UPDATE "Message" SET "content" = $1, "editedAt" = $2, "seq" = $3 WHERE "id" = $4`,
        [content, at, nextSeq(), c.id],
      );
      await replaceMentions(client, c.id, before, c.mentions);
      await searchDocuments(client, [{ id: c.id, content }]);
      return true;
    }
    case "delete":
      await run(client, "chg-del-reactions", `DELETE FROM "Reaction" WHERE "messageId" = $1`, [c.id]);
      await run(client, "chg-del-files", `DELETE FROM "Upload" WHERE "messageId" = $1`, [c.id]);
      await replaceMentions(client, c.id, before, []);
      await run(client, "chg-del-search", `DELETE FROM "MessageSearch" WHERE "messageId" = $1`, [c.id]);
      await run(
        client,
        "chg-tombstone",
        `UPDATE "Message" SET "content" = '', "deleted" = true, "seq" = $1 WHERE "id" = $2`,
        [nextSeq(), c.id],
      );
      return true;
    case "react": {
      const added = await run(
        client,
        "chg-react",
        `INSERT INTO "Reaction" ("messageId", "userId", "username", "emoji", "createdAt") VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT ("messageId", "userId", "emoji") DO NOTHING`,
        [c.id, c.userId, c.username, c.emoji, at],
      );
      if (added === 0) return false;
      break;
    }
    case "unreact": {
      const removed = await run(
        client,
        "chg-unreact",
        `DELETE FROM "Reaction" WHERE "messageId" = $1 AND "userId" = $2 AND "emoji" = $3`,
        [c.id, c.userId, c.emoji],
      );
      if (removed === 0) return false;
      break;
    }
  }
  await run(client, "chg-seq", `UPDATE "Message" SET "seq" = $1 WHERE "id" = $2`, [nextSeq(), c.id]);
  return true;
}

/** null: no such message, or it is deleted (a tombstone takes no action, a repeated delete included) */
export async function applyPgChange(
  client: PoolClient,
  c: MessageChange,
  at: Date,
  nextSeq: () => number,
): Promise<Changed | null> {
  const { rows } = await client.query<Current>({
    name: "chg-current",
    text: `SELECT "content", "deleted", "room", "userId" FROM "Message" WHERE "id" = $1 FOR UPDATE`,
    values: [c.id],
  });
  const state = rows[0];
  if (!state || state.deleted) return null;
  const changed = await alter(client, c, state, at, nextSeq);
  return { message: (await wholeMessage(client, c.id))!, changed };
}
