// Notification settings (GET/PUT /api/me/notifications) and the decision whether a message calls for a
// notification to a user. Knows nothing of HTTP or sockets.
import type { NotificationQueries, RoomQueries } from "../db/data-layer";
import { AppError } from "../errors";
import { wantsNotification } from "../notify/levels";
import type { Message, NotificationSettings, NotifyLevel } from "../protocol";
import type { Identity } from "./auth";

export function createNotificationService(deps: { notifications: NotificationQueries; rooms: RoomQueries }) {
  /**
   * A room the user has left keeps its override (it applies again on coming back, until the next save) but is not listed: the
   * answer must be a valid PUT body, and PUT refuses rooms the user is not in.
   */
  async function get(userId: number): Promise<NotificationSettings> {
    const [stored, mine] = await Promise.all([
      deps.notifications.notificationSettings(userId),
      deps.rooms.roomsOf(userId),
    ]);
    const member = new Set(mine.map((r) => r.id));
    const rooms = stored.rooms.filter((r) => member.has(r.roomId)).map((r): [string, NotifyLevel] => [r.name, r.level]);
    return { level: stored.level, rooms: Object.fromEntries(rooms) };
  }

  /** Every override, left rooms' too (no message comes from those): one query, for each push decided. */
  async function applying(userId: number): Promise<NotificationSettings> {
    const stored = await deps.notifications.notificationSettings(userId);
    return { level: stored.level, rooms: Object.fromEntries(stored.rooms.map((r) => [r.name, r.level])) };
  }

  return {
    get: (user: Identity) => get(user.userId),

    /**
     * Replaces the settings. Every room named must be one of the user's (case-insensitive; a room they
     * cannot read is refused, as unknown); a room set to the user's own level needs no override and is dropped.
     */
    async put(user: Identity, input: NotificationSettings): Promise<NotificationSettings> {
      const mine = new Map((await deps.rooms.roomsOf(user.userId)).map((r) => [r.name.toLowerCase(), r]));
      const overrides = new Map<number, NotifyLevel>();
      for (const [name, level] of Object.entries(input.rooms)) {
        const room = mine.get(name.trim().toLowerCase());
        if (!room) throw new AppError("invalid_input", `rooms: you are not in a room named ${name}`);
        if (level === input.level) overrides.delete(room.id);
        else overrides.set(room.id, level);
      }
      const rooms = [...overrides].map(([roomId, level]) => ({ roomId, level }));
      await deps.notifications.setNotificationSettings(user.userId, input.level, rooms);
      return get(user.userId);
    },

    /** Whether `message` calls for a notification to `user` under their settings. */
    async wantsNotification(user: Pick<Identity, "userId" | "username">, message: Message): Promise<boolean> {
      return wantsNotification(await applying(user.userId), user.username, message);
    },
  };
}
export type NotificationService = ReturnType<typeof createNotificationService>;
