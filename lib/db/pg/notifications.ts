// Notification settings on PostgreSQL (the SQLite twin is ../notifications.ts): the user's level (a User
// column) and their per-room overrides (RoomNotification). Read for every push decided: a named statement.
import { DEFAULT_NOTIFY_LEVEL, NOTIFY_LEVELS, type NotifyLevel } from "../../protocol";
import type { NotificationQueries } from "../data-layer";
import { inTransaction, type Pool } from "./pool";

/** a value from the database; anything unknown reads as the default rather than failing a send */
const asLevel = (value: string): NotifyLevel =>
  (NOTIFY_LEVELS as readonly string[]).includes(value) ? (value as NotifyLevel) : DEFAULT_NOTIFY_LEVEL;

interface Row {
  notifyLevel: string;
  /** null (with name and level) for a user without overrides */
  roomId: number | null;
  name: string | null;
  level: string | null;
}

export function pgNotificationQueries(pool: Pool): NotificationQueries {
  return {
    async notificationSettings(userId) {
      const { rows } = await pool.query<Row>({
        name: "notifications.settings",
        text: `SELECT u."notifyLevel", n."roomId", r."name", n."level"
          FROM "User" u
          LEFT JOIN "RoomNotification" n ON n."userId" = u."id"
          LEFT JOIN "Room" r ON r."id" = n."roomId"
          WHERE u."id" = $1 ORDER BY n."roomId"`,
        values: [userId],
      });
      return {
        level: asLevel(rows[0]?.notifyLevel ?? DEFAULT_NOTIFY_LEVEL),
        rooms: rows
          .filter((r) => r.roomId !== null)
          .map((r) => ({ roomId: r.roomId!, name: r.name!, level: asLevel(r.level!) })),
      };
    },
    async setNotificationSettings(userId, level, rooms) {
      await inTransaction(pool, async (client) => {
        // the user's row first: a concurrent save of the same user waits here, so the two never interleave
        const updated = await client.query(`UPDATE "User" SET "notifyLevel" = $2 WHERE "id" = $1`, [userId, level]);
        if (updated.rowCount !== 1) throw new Error(`No user with id ${userId}`);
        await client.query(`DELETE FROM "RoomNotification" WHERE "userId" = $1`, [userId]);
        if (rooms.length === 0) return;
        await client.query(
          `INSERT INTO "RoomNotification" ("userId", "roomId", "level")
            SELECT $1, r."roomId", r."level" FROM unnest($2::int[], $3::text[]) AS r("roomId", "level")`,
          [userId, rooms.map((r) => r.roomId), rooms.map((r) => r.level)],
        );
      });
    },
  };
}
