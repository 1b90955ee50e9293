// Edits, deletes and reaction changes as the writer applies them inside its batch transaction. Each is
// idempotent: one that finds the state it asks for changes nothing and takes no seq; one that changes the
// message gives it the next seq. The answer is read in the same transaction: exactly what was committed.
import type Database from "better-sqlite3";
import type { Changed, MessageChange } from "./data-layer";
import type { MentionRows } from "./mention-rows";
import type { MessageSelects } from "./message-selects";

interface Current {
  content: string;
  deleted: number;
  room: string;
  userId: number;
}

export function createMessageChanges(conn: Database.Database, selects: MessageSelects, mentions: MentionRows) {
  const current = conn.prepare<[number], Current>(
    `SELECT "content", "deleted", "room", "userId" FROM "Message" WHERE "id" = ?`,
  );
  const recordEdit = conn.prepare<[number, number, string, string]>(
    `INSERT INTO "MessageEdit" ("messageId", "editorId", "previousContent", "editedAt") VALUES (?, ?, ?, ?)`,
  );
  const setContent = conn.prepare<[string, string, number, number]>(
    `UPDATE "Message" SET "content" = ?, "editedAt" = ?, "seq" = ? WHERE "id" = ?`,
  );
  const tombstone = conn.prepare<[number, number]>(
    `UPDATE "Message" SET "content" = '', "deleted" = 1, "seq" = ? WHERE "id" = ?`,
  );
  const dropReactions = conn.prepare<[number]>(`DELETE FROM "Reaction" WHERE "messageId" = ?`);
  const addReaction = conn.prepare<[number, number, string, string, string]>(
    `INSERT INTO "Reaction" ("messageId", "userId", "username", "emoji", "createdAt") VALUES (?, ?, ?, ?, ?)
     ON CONFLICT ("messageId", "userId", "emoji") DO NOTHING`,
  );
  const removeReaction = conn.prepare<[number, number, string]>(
    `DELETE FROM "Reaction" WHERE "messageId" = ? AND "userId" = ? AND "emoji" = ?`,
  );
  const setSeq = conn.prepare<[number, number]>(`UPDATE "Message" SET "seq" = ? WHERE "id" = ?`);

  /** true when the change altered the row (the caller then has given it a seq) */
  function alter(c: MessageChange, before: Current, at: string, nextSeq: () => number): boolean {
    switch (c.kind) {
      case "edit": {
        if (before.content === c.content) return false;
        recordEdit.run(c.id, c.editorId, before.content, at);
        setContent.run(c.content, at, nextSeq(), c.id);
        mentions.replace(c.id, before.room, before.userId, c.mentions);
        return true;
      }
      case "delete":
        dropReactions.run(c.id);
        selects.uploads.detach(c.id);
        mentions.replace(c.id, before.room, before.userId, []);
        tombstone.run(nextSeq(), c.id);
        return true;
      case "react":
        if (addReaction.run(c.id, c.userId, c.username, c.emoji, at).changes === 0) return false;
        break;
      case "unreact":
        if (removeReaction.run(c.id, c.userId, c.emoji).changes === 0) return false;
        break;
    }
    setSeq.run(nextSeq(), c.id);
    return true;
  }

  return {
    /** null: no such message, or it is deleted (a tombstone takes no action, a repeated delete included) */
    apply(c: MessageChange, at: string, nextSeq: () => number): Changed | null {
      const state = current.get(c.id);
      if (!state || state.deleted === 1) return null;
      const changed = alter(c, state, at, nextSeq);
      return { message: selects.message(c.id)!, changed };
    },
  };
}
