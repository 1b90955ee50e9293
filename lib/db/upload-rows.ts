// Upload rows on a better-sqlite3 connection: the files of a page of messages (one statement per page, the
// ids as one JSON array), and what the message writer does to them inside its transaction — attach a new
// message's files, detach a deleted message's.
import type Database from "better-sqlite3";
import { FILES_PATH, type FileInfo } from "../protocol";

/** The Upload columns a file's wire form needs. */
export const UPLOAD_COLUMNS = `"id", "name", "size", "type", "width", "height", "thumbnail", "messageId"`;

export interface UploadRow {
  id: string;
  name: string;
  size: number;
  type: string;
  width: number | null;
  height: number | null;
  /** SQLite's boolean */
  thumbnail: number | boolean;
  messageId: number | null;
}

/** An upload as messages and POST /api/uploads carry it. */
export function toFileInfo(row: Omit<UploadRow, "messageId">): FileInfo {
  const file: FileInfo = { id: row.id, name: row.name, size: row.size, type: row.type, url: `${FILES_PATH}/${row.id}` };
  if (row.width !== null && row.height !== null) Object.assign(file, { width: row.width, height: row.height });
  if (row.thumbnail === 1 || row.thumbnail === true) file.thumbnailUrl = `${FILES_PATH}/${row.id}/thumbnail`;
  return file;
}

export function createUploadRows(conn: Database.Database) {
  const ofMessages = conn.prepare<[string], UploadRow>(
    `SELECT ${UPLOAD_COLUMNS} FROM "Upload"
      WHERE "messageId" IN (SELECT "value" FROM json_each(?)) ORDER BY "messageId", "position"`,
  );
  const attachOne = conn.prepare<[number, number, string, number]>(
    `UPDATE "Upload" SET "messageId" = ?, "position" = ?
      WHERE "id" = ? AND "userId" = ? AND "messageId" IS NULL`,
  );
  const ofMessage = conn.prepare<[number], UploadRow>(
    `SELECT ${UPLOAD_COLUMNS} FROM "Upload" WHERE "messageId" = ? ORDER BY "position"`,
  );
  const detach = conn.prepare<[number]>(`DELETE FROM "Upload" WHERE "messageId" = ?`);

  return {
    /** the files of `messageIds` (live ones: a deleted message has none), grouped per message */
    filesOf(messageIds: number[]): Map<number, FileInfo[]> {
      const byMessage = new Map<number, FileInfo[]>();
      if (messageIds.length === 0) return byMessage;
      for (const row of ofMessages.all(JSON.stringify(messageIds))) {
        const id = row.messageId!;
        let list = byMessage.get(id);
        if (!list) byMessage.set(id, (list = []));
        list.push(toFileInfo(row));
      }
      return byMessage;
    },
    /**
     * Gives `fileIds` (the author's unsent uploads) to message `messageId`; false when one of them is not
     * (any more) one: the caller rolls back. Each keeps its place in `fileIds`.
     */
    attach(messageId: number, authorId: number, fileIds: string[]): FileInfo[] | null {
      for (const [i, id] of fileIds.entries()) {
        if (attachOne.run(messageId, i, id, authorId).changes !== 1) return null;
      }
      return ofMessage.all(messageId).map(toFileInfo);
    },
    /** a deleted message's files: their URLs answer 404 at once; the sweep removes blobs nobody references */
    detach(messageId: number): void {
      detach.run(messageId);
    },
  };
}
export type UploadRows = ReturnType<typeof createUploadRows>;
