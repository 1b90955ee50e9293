// /rooms and /who: fetched afresh from the server (refreshing the room book and presence on the way) and
// printed with the formatters of rooms.ts.
import { DEFAULT_ROOM } from "../../lib/protocol";
import { listRooms, listUsers, roomDirectory, roomMembers } from "../api";
import { formatRoomList, formatWho, sameRoom } from "../rooms";
import type { TerminalChat } from "./context";

/** /rooms: the user's rooms and DMs with unread counts and presence, then public rooms to join. */
export async function showRooms(chat: TerminalChat): Promise<void> {
  const { serverUrl, login, book, presence, conversation, screen } = chat;
  const askedAt = book.mark();
  const [rooms, directory, users] = await Promise.all([
    listRooms(serverUrl, login.token),
    roomDirectory(serverUrl, login.token),
    listUsers(serverUrl, login.token).catch(() => undefined),
  ]);
  book.replaceAll(rooms, askedAt);
  chat.membership.publicRooms = directory.map((r) => r.name);
  if (users) presence.learn(users);
  screen.info(
    formatRoomList({ rooms: book.list(), directory, current: conversation.view, ...(users ? { users } : {}) }),
  );
  screen.refreshPrompt();
}

/** /who: who is in the room on screen (everyone, for general), online or when last seen. */
export async function showWho(chat: TerminalChat): Promise<void> {
  const { serverUrl, login, me, presence, screen } = chat;
  const here = chat.conversation.view;
  const [users, members] = await Promise.all([
    listUsers(serverUrl, login.token),
    here.kind === "dm"
      ? Promise.resolve([me, here.peer])
      : sameRoom(here.name, DEFAULT_ROOM)
        ? Promise.resolve(undefined)
        : roomMembers(serverUrl, login.token, here.name),
  ]);
  presence.learn(users);
  screen.info(formatWho({ users, current: here, ...(members ? { members } : {}) }));
}
