// Whether a message calls for a notification to a user, from their settings: the one decision the push sender
// makes on the server and the web client mirrors for in-page notifications (import it, do not copy it).
import { isDmRoom, type Message, type NotificationSettings, type NotifyLevel } from "../protocol";
import { mentionsUser } from "./mentions";

/** The level that applies in `room`: its own override, else the user's level (room names case-insensitive). */
export function levelIn(settings: NotificationSettings, room: string): NotifyLevel {
  const key = room.toLowerCase();
  for (const [name, level] of Object.entries(settings.rooms)) if (name.toLowerCase() === key) return level;
  return settings.level;
}

/**
 * all: any message by someone else; mentions: those that mention the user, and every DM; none: nothing (a
 * room set to none is muted, even for mentions). Never one's own messages, nor a deleted one.
 */
export function wantsNotification(
  settings: NotificationSettings,
  username: string,
  message: Pick<Message, "room" | "username" | "mentions" | "deleted">,
): boolean {
  if (message.deleted || message.username.toLowerCase() === username.toLowerCase()) return false;
  switch (levelIn(settings, message.room)) {
    case "all":
      return true;
    case "none":
      return false;
    case "mentions":
      return isDmRoom(message.room) || mentionsUser(message, username);
  }
}
