// Read markers on the message writer's connection: moved forward inside the writer's batches, so a marker
// costs no fsync of its own (it was a Prisma write and commit each).
import type Database from "better-sqlite3";

export function createReadMarkers(conn: Database.Database) {
  const forward = conn.prepare<[number, number, number, number]>(
    `UPDATE "Membership" SET "lastReadId" = ? WHERE "roomId" = ? AND "userId" = ? AND "lastReadId" < ?`,
  );
  const current = conn
    .prepare<[number, number], number>(`SELECT "lastReadId" FROM "Membership" WHERE "roomId" = ? AND "userId" = ?`)
    .pluck();
  /** moves the marker forward only (a stale tab cannot mark read messages unread again); the marker now, 0 for no membership */
  return (roomId: number, userId: number, lastReadId: number): number => {
    forward.run(lastReadId, roomId, userId, lastReadId);
    return current.get(roomId, userId) ?? 0;
  };
}
