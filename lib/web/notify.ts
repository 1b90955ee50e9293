// The web UI's side of notifications, pure for tests: per-room overrides edited in the settings panel, what a
// browser notification about a message says, and the VAPID key as PushManager.subscribe takes it. Whether a
// message notifies at all is lib/notify/levels.ts (the server's push sender decides with the same function).
import { isDmRoom, type Message, type NotificationSettings, type NotifyLevel } from "../protocol";
import { notificationHref } from "./routes";

/** How each level reads in the settings panel. */
export const LEVEL_LABELS: Record<NotifyLevel, string> = {
  all: "All messages",
  mentions: "Mentions and direct messages",
  none: "Nothing",
};

/** The level `room` has of its own, or null when it follows the user's level (names case-insensitive). */
export function roomOverride(settings: NotificationSettings, room: string): NotifyLevel | null {
  const key = room.toLowerCase();
  const entry = Object.entries(settings.rooms).find(([name]) => name.toLowerCase() === key);
  return entry ? entry[1] : null;
}

/** `settings` with `room` set to `level` of its own, or (null) following the user's level again. */
export function withRoomLevel(
  settings: NotificationSettings,
  room: string,
  level: NotifyLevel | null,
): NotificationSettings {
  const key = room.toLowerCase();
  const rooms = Object.fromEntries(Object.entries(settings.rooms).filter(([name]) => name.toLowerCase() !== key));
  if (level !== null) rooms[room] = level;
  return { ...settings, rooms };
}

/** Cut to this many characters in a notification's body (the push payload's rule too). */
export const BODY_MAX = 200;

export interface NotificationContent {
  title: string;
  body: string;
  /** one notification per conversation: a newer one replaces it */
  tag: string;
  /** the page that shows the message */
  href: string;
}

/** What a browser notification about `message` shows, and where clicking it goes (as public/sw.js does). */
export function notificationContent(
  message: Pick<Message, "id" | "room" | "username" | "content">,
): NotificationContent {
  // by code points, so an emoji is never cut in half
  const chars = [...message.content];
  return {
    title: isDmRoom(message.room) ? message.username : `${message.username} in #${message.room}`,
    body: chars.length > BODY_MAX ? `${chars.slice(0, BODY_MAX - 1).join("")}…` : message.content,
    tag: `chatterbox:${message.room}`,
    href: notificationHref(message),
  };
}

/** A base64url string (the server's VAPID public key) as the bytes PushManager.subscribe wants. */
export function base64UrlToBytes(value: string): Uint8Array<ArrayBuffer> {
  const base64 = value.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
