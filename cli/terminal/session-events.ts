// What the session reports, handed to the part of the screen it concerns: one small handler per event.
import type { ChatSessionHandlers, ConnectionState } from "../chat-session";
import { preview } from "../render";
import { sameRoom, viewLabel, type RoomRef } from "../rooms";
import { sanitizeInline } from "../sanitize";
import { runTask, type TerminalChat } from "./context";
import { PresenceNotices } from "./presence-notices";

/** `start`: the room or DM to go to once first connected (`--room`). */
export function sessionHandlers(chat: TerminalChat, start: RoomRef | undefined): ChatSessionHandlers {
  let firstReady = true;
  const presenceNotices = new PresenceNotices(chat);
  return {
    messages: (messages) => chat.conversation.received(messages),
    updated: (messages) => chat.conversation.updated(messages),
    ready: ({ reconnect }) => {
      if (!reconnect) chat.screen.info("Type a message and press Enter. /help lists the commands.");
      const room = firstReady ? start : undefined;
      firstReady = false;
      void chat.membership.refresh().then(() => {
        if (room)
          runTask(chat, room.kind === "dm" ? chat.membership.openDm(room.user) : chat.membership.joinRoom(room.name));
      });
    },
    state: (state, detail) => showState(chat, state, detail),
    notice: (detail) => chat.screen.warn(`! ${sanitizeInline(detail)}`),
    sendRetry: (item, reason) =>
      chat.screen.warn(`! not delivered yet (${sanitizeInline(reason)}); retrying “${preview(item.content)}”`),
    unauthorized: () => chat.lifecycle.unauthorized(),
    roomJoined: (summary) => chat.membership.joined(summary),
    roomLeft: (room) => chat.membership.left(room),
    roomRead: (marker) => {
      chat.book.onRead(marker);
      chat.screen.refreshPrompt();
    },
    typing: (event) => chat.typing.reported(event),
    member: ({ room, username, joined }) => {
      const { view } = chat.conversation;
      if (view.kind === "room" && sameRoom(room, view.name)) {
        chat.screen.info(`* ${sanitizeInline(username)} ${joined ? "joined" : "left"} ${viewLabel(view)}`);
      }
    },
    presence: (event) => presenceChanged(chat, presenceNotices, event),
  };
}

function showState(chat: TerminalChat, state: ConnectionState, detail: string | undefined): void {
  const why = detail ? ` (${sanitizeInline(detail)})` : "";
  if (state === "connecting") chat.screen.info(`* connecting to ${chat.serverUrl}…`);
  else if (state === "connected") chat.screen.info(`* connected as ${chat.me}`);
  else if (state === "reconnecting") chat.screen.warn(`* connection lost${why}; reconnecting…`);
  else chat.screen.warn(`* disconnected${why}`);
}

/** Someone came online or went offline: recorded, and told in one line per burst (presence-notices.ts). */
function presenceChanged(chat: TerminalChat, notices: PresenceNotices, event: { username: string; online: boolean }) {
  const was = chat.presence.set(event.username, event.online);
  notices.changed(event.username, was, event.online);
}
