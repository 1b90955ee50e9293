// The Mention rows of a message, written by the message writer inside its batch transaction (with the
// message or its edit): one row per mentioned member but its author, read by unread-mention counts.
import type Database from "better-sqlite3";
import type { Member } from "../notify/mentions";

export function createMentionRows(conn: Database.Database) {
  const add = conn.prepare<[number, number, string]>(
    `INSERT INTO "Mention" ("messageId", "userId", "room") VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const drop = conn.prepare<[number]>(`DELETE FROM "Mention" WHERE "messageId" = ?`);
  const setColumn = conn.prepare<[string, number]>(`UPDATE "Message" SET "mentions" = ? WHERE "id" = ?`);

  return {
    /** the Message column's value for `mentions` */
    column: (mentions: Member[] | undefined): string =>
      mentions?.length ? JSON.stringify(mentions.map((m) => m.username)) : "[]",
    add(messageId: number, room: string, authorId: number, mentions: Member[] | undefined): void {
      for (const m of mentions ?? []) if (m.userId !== authorId) add.run(messageId, m.userId, room);
    },
    /** an edit's new set, or none for a delete (`mentions` empty) */
    replace(messageId: number, room: string, authorId: number, mentions: Member[]): void {
      drop.run(messageId);
      setColumn.run(this.column(mentions), messageId);
      this.add(messageId, room, authorId, mentions);
    },
  };
}
export type MentionRows = ReturnType<typeof createMentionRows>;
