// Sending and reading messages. Knows nothing of HTTP or sockets.
import type { MessageQueries } from "../db/messages";
import { DEFAULT_ROOM, LIMITS, type HistoryPayload, type Message, type MessagesQuery } from "../protocol";
import type { Identity } from "./auth";
import type { ChatEvents } from "./events";
import type { Throttles } from "./throttle";

export function createMessageService(deps: { messages: MessageQueries; events: ChatEvents; throttles: Throttles }) {
  return {
    /** Stores (once per clientId) and announces; resolves only after the commit. */
    async send(user: Identity, input: { content: string; clientId?: string | undefined }): Promise<Message> {
      // per user: a flood from one account is refused before it reaches the database or anyone else
      await deps.throttles.message(user.userId);
      const { message, created } = await deps.messages.insertMessage({
        userId: user.userId,
        username: user.username,
        room: DEFAULT_ROOM,
        content: input.content,
        ...(input.clientId ? { clientId: input.clientId } : {}),
      });
      if (created) deps.events.emit("message:created", message);
      return message;
    },

    /** What a connecting client gets: the last 50, or exactly what came after `lastMessageId`. */
    async history(lastMessageId?: number): Promise<HistoryPayload> {
      if (lastMessageId === undefined) {
        return { messages: await deps.messages.latestMessages(DEFAULT_ROOM, LIMITS.historyDefault) };
      }
      const rows = await deps.messages.messagesAfter(DEFAULT_ROOM, lastMessageId, LIMITS.gapFillMax + 1);
      return rows.length > LIMITS.gapFillMax
        ? { messages: rows.slice(0, LIMITS.gapFillMax), truncated: true }
        : { messages: rows };
    },

    /** REST paging: after / before a cursor, or the latest page. */
    page(query: MessagesQuery): Promise<Message[]> {
      if (query.after !== undefined) return deps.messages.messagesAfter(DEFAULT_ROOM, query.after, query.limit);
      if (query.before !== undefined) return deps.messages.messagesBefore(DEFAULT_ROOM, query.before, query.limit);
      return deps.messages.latestMessages(DEFAULT_ROOM, query.limit);
    },
  };
}
export type MessageService = ReturnType<typeof createMessageService>;
