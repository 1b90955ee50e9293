// Sending and reading messages. Knows nothing of HTTP or sockets.
import type { MessageQueries } from "../db/data-layer";
import { DEFAULT_ROOM, LIMITS, type HistoryPayload, type Message, type MessagesQuery } from "../protocol";
import type { Identity } from "./auth";
import type { ChatEvents } from "./events";
import type { RoomService } from "./rooms";
import type { Throttles } from "./throttle";

export interface MessageDeps {
  messages: MessageQueries;
  events: ChatEvents;
  throttles: Throttles;
  rooms: RoomService;
}

export function createMessageService(deps: MessageDeps) {
  return {
    /** Stores (once per clientId) and announces; resolves only after the commit. */
    async send(
      user: Identity,
      input: { content: string; clientId?: string | undefined; room?: string | undefined; to?: string | undefined },
    ): Promise<Message> {
      // per user: a flood from one account is refused before it reaches the database or anyone else
      await deps.throttles.message(user.userId);
      const room = await deps.rooms.target(user, input);
      const { message, created } = await deps.messages.insertMessage({
        userId: user.userId,
        username: user.username,
        room,
        content: input.content,
        ...(input.clientId ? { clientId: input.clientId } : {}),
      });
      if (created) deps.events.emit("message:created", message);
      else await deps.throttles.messageWasRetry(user.userId);
      return message;
    },

    /**
     * What a connecting client gets: the last 50 of general, or exactly what came after `lastMessageId` in
     * every room the user is in (ids are global, so one number covers them all).
     */
    async history(user: Identity, lastMessageId?: number): Promise<HistoryPayload> {
      if (lastMessageId === undefined) {
        return { messages: await deps.messages.latestMessages(DEFAULT_ROOM, LIMITS.historyDefault) };
      }
      const rooms = await deps.rooms.roomNames(user.userId);
      const rows = await deps.messages.messagesAfterIn(rooms, lastMessageId, LIMITS.gapFillMax + 1);
      return rows.length > LIMITS.gapFillMax
        ? { messages: rows.slice(0, LIMITS.gapFillMax), truncated: true }
        : { messages: rows };
    },

    /** REST paging in one room the user may read: after / before a cursor, or the latest page. */
    async page(user: Identity, query: MessagesQuery): Promise<Message[]> {
      const room = await deps.rooms.memberRoom(user, query.room ?? DEFAULT_ROOM);
      if (query.after !== undefined) return deps.messages.messagesAfter(room.name, query.after, query.limit);
      if (query.before !== undefined) return deps.messages.messagesBefore(room.name, query.before, query.limit);
      return deps.messages.latestMessages(room.name, query.limit);
    },
  };
}
export type MessageService = ReturnType<typeof createMessageService>;
