// Where each conversation lives in the URL, and the key the client files it under. Room names are unique
// case-insensitively and DM room names are lowercase, so the lowercased name is the key.
import { DEFAULT_ROOM, dmRoomName, isDmRoom, type RoomSummary } from "../protocol";

/** What a chat URL points at: a room by name, or a direct conversation with a user. */
export type ChatTarget = { kind: "room"; name: string } | { kind: "dm"; peer: string };

export const roomKey = (name: string): string => name.toLowerCase();

export function targetKey(target: ChatTarget, me: string): string {
  return target.kind === "room" ? roomKey(target.name) : dmRoomName(me, target.peer);
}

/**
 * Every room, general included, links to /r/<name>. `/` shows general too, but only on a full load:
 * server.ts answers a GET / that does not accept HTML (as Next's in-app navigation requests are) with the
 * seed's status JSON, which would turn an in-app move to `/` into a full reload and a new socket.
 */
export const roomHref = (name: string): string => `/r/${encodeURIComponent(name)}`;

export const dmHref = (peer: string): string => `/dm/${encodeURIComponent(peer)}`;

export const summaryHref = (room: RoomSummary): string => (room.peer ? dmHref(room.peer) : roomHref(room.name));

/** The conversation a pathname shows (`/`, `/r/<name>`, `/dm/<user>`), or null for any other page. */
export function targetOf(pathname: string): ChatTarget | null {
  if (pathname === "/") return { kind: "room", name: DEFAULT_ROOM };
  const match = /^\/(r|dm)\/([^/]+)\/?$/.exec(pathname);
  if (!match?.[2]) return null;
  const value = routeParam(match[2]);
  return match[1] === "r" ? { kind: "room", name: value } : { kind: "dm", peer: value };
}

/**
 * Where to go back to after logging in, from a `next` parameter: a path of this site (and its query), never
 * another site (`//evil.example`, `/\\evil.example`, `https://…`) nor the login and register pages themselves.
 */
export function returnPath(value: unknown): string | null {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.includes("\\"))
    return null;
  // eslint-disable-next-line no-control-regex -- a control character (a newline, a tab) is never part of one
  if (/[\u0000-\u001f\u007f]/.test(value)) return null;
  const base = "http://chatterbox.invalid";
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return null;
  }
  // "/..//evil.example" resolves to "//evil.example": another site again
  if (url.origin !== base || url.pathname.startsWith("//") || ["/login", "/register"].includes(url.pathname))
    return null;
  return url.pathname + url.search;
}

/** "# general" or "@alice": how a conversation is titled. */
export function targetTitle(target: ChatTarget): string {
  return target.kind === "room" ? `# ${target.name}` : `@${target.peer}`;
}

/** A dynamic segment as the user typed it: decoded once if it still carries %-escapes. */
export function routeParam(raw: string): string {
  if (!raw.includes("%")) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** A message's own link: its conversation's page, with `#m<id>` naming the message. */
export const messageHref = (target: ChatTarget, id: number): string =>
  `${target.kind === "room" ? roomHref(target.name) : dmHref(target.peer)}#m${id}`;

/** The message a location hash names (`#m42`), or null. */
export function messageIdOfHash(hash: string): number | null {
  const match = /^#m([1-9][0-9]{0,15})$/.exec(hash);
  return match?.[1] ? Number(match[1]) : null;
}

/** The message a `?m=<id>` query names (what a notification opens), or null. */
export function messageIdOfSearch(search: string): number | null {
  const value = new URLSearchParams(search).get("m");
  return value !== null && /^[1-9][0-9]{0,15}$/.test(value) ? Number(value) : null;
}

/**
 * The page a notification about `message` opens: `/r/<room>?m=<id>`, or `/dm/<sender>?m=<id>` for a direct
 * message (public/sw.js builds the same for a push).
 */
export function notificationHref(message: { room: string; username: string; id: number }): string {
  const place = isDmRoom(message.room) ? dmHref(message.username) : roomHref(message.room);
  return `${place}?m=${message.id}`;
}
