// Notification settings: the user's level (a User column) and their per-room overrides (RoomNotification).
import { DEFAULT_NOTIFY_LEVEL, NOTIFY_LEVELS, type NotifyLevel } from "../protocol";
import type { Db } from "./client";
import type { NotificationQueries, StoredNotificationSettings } from "./data-layer";

/** a value from the database; anything unknown reads as the default rather than failing a send */
const asLevel = (value: string): NotifyLevel =>
  (NOTIFY_LEVELS as readonly string[]).includes(value) ? (value as NotifyLevel) : DEFAULT_NOTIFY_LEVEL;

export function notificationQueries(db: Db): NotificationQueries {
  return {
    async notificationSettings(userId: number): Promise<StoredNotificationSettings> {
      const user = await db.user.findUnique({
        where: { id: userId },
        select: {
          notifyLevel: true,
          roomLevels: { select: { roomId: true, level: true, room: { select: { name: true } } } },
        },
      });
      return {
        level: asLevel(user?.notifyLevel ?? DEFAULT_NOTIFY_LEVEL),
        rooms: (user?.roomLevels ?? []).map((r) => ({ roomId: r.roomId, name: r.room.name, level: asLevel(r.level) })),
      };
    },
    async setNotificationSettings(userId, level, rooms): Promise<void> {
      await db.$transaction([
        db.user.update({ where: { id: userId }, data: { notifyLevel: level } }),
        db.roomNotification.deleteMany({ where: { userId } }),
        db.roomNotification.createMany({ data: rooms.map((r) => ({ userId, roomId: r.roomId, level: r.level })) }),
      ]);
    },
  };
}
