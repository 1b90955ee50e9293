// Sending and reading messages. Knows nothing of HTTP or sockets.
import type { MessageQueries } from "../db/data-layer";
import { AppError } from "../errors";
import {
  DEFAULT_ROOM,
  LIMITS,
  type ChangesResponse,
  type HistoryPayload,
  type Bot,
  type Message,
  type MessagesQuery,
} from "../protocol";
import type { Faults } from "../fault";
import type { Identity } from "./auth";
import type { ChatEvents } from "./events";
import type { RoomService } from "./rooms";
import type { Throttles } from "./throttle";

export interface MessageDeps {
  messages: MessageQueries;
  events: ChatEvents;
  throttles: Throttles;
  rooms: RoomService;
  /** test-only crash points (lib/fault.ts) */
  faults?: Faults;
  /** whether a user has a socket open now (presence): who `@here` mentions */
  online: (userId: number) => boolean;
  /** whether a user is an admin now (who may delete anyone's message) */
  isAdmin: (userId: number) => Promise<boolean>;
  /** refuses file ids that are not the user's unsent uploads (the file service's checkAttachable) */
  checkFiles: (user: Identity, ids: string[]) => Promise<void>;
}

export interface SendInput {
  content: string;
  clientId?: string | undefined;
  room?: string | undefined;
  to?: string | undefined;
  replyTo?: number | undefined;
  /** ids of the sender's unsent uploads */
  files?: string[] | undefined;
  /** posted through an incoming webhook: shown under this bot name, throttled on the hook's own budget */
  hook?: { id: number; bot: Bot } | undefined;
}

export function createMessageService(deps: MessageDeps) {
  /** A reply's parent: stored, not deleted, in `room`; one elsewhere is not found unless its room is readable too. */
  async function checkParent(user: Identity, room: string, id: number): Promise<void> {
    const parent = await deps.messages.findMessage(id);
    const missing = new AppError("not_found", `No message ${id} to reply to`);
    if (!parent || parent.message.deleted) throw missing;
    if (parent.message.room === room) return;
    await deps.rooms.memberRoom(user, parent.message.room).catch(() => {
      throw missing;
    });
    throw new AppError("invalid_input", "A reply must be in the same room as the message it answers");
  }

  /** what came after `since` (by seq) in the user's rooms, at most `limit`, and whether more remain */
  async function changedSince(user: Identity, since: number, limit: number) {
    const rooms = await deps.rooms.roomNames(user.userId);
    const rows = await deps.messages.changesIn(rooms, since, limit + 1);
    return { messages: rows.slice(0, limit), more: rows.length > limit };
  }

  return {
    /** Stores (once per clientId) and announces; resolves only after the commit. */
    async send(user: Identity, input: SendInput): Promise<Message> {
      // per user: a flood from one account is refused before it reaches the database or anyone else
      const sender = input.hook ? `hook:${input.hook.id}` : user.userId;
      await deps.throttles.message(sender);
      const room = await deps.rooms.target(user, input);
      if (input.replyTo !== undefined) await checkParent(user, room, input.replyTo);
      const files = input.files ?? [];
      if (files.length) await deps.checkFiles(user, files);
      const mentions = await deps.rooms.mentionsIn(room, input.content, deps.online);
      const stored = await deps.messages.insertMessage({
        userId: user.userId,
        username: user.username,
        room,
        content: input.content,
        mentions,
        ...(input.clientId ? { clientId: input.clientId } : {}),
        ...(input.replyTo !== undefined ? { replyToId: input.replyTo } : {}),
        ...(files.length ? { files } : {}),
        ...(input.hook ? { bot: input.hook.bot } : {}),
      });
      if (!stored) {
        throw new AppError("invalid_input", "A file of this message is already sent: upload it again to send it twice");
      }
      const { message, created } = stored;
      if (created) {
        deps.faults?.pass("after-commit-before-ack", () => `${message.id} ${message.clientId}`);
        // the fault that lets the ack out and dies before anyone else hears of the message
        const dies = deps.faults?.passThenDie("after-ack-before-broadcast", () => `${message.id} ${message.clientId}`);
        if (!dies) deps.events.emit("message:created", message);
      } else await deps.throttles.messageWasRetry(sender);
      return message;
    },

    /**
     * What a connecting client gets: the last 50 of general; or everything created or changed after seq
     * `since` in the user's rooms; or exactly what came after `lastMessageId` in them (ids are global, so one
     * number covers them all).
     */
    async history(user: Identity, lastMessageId?: number, since?: number): Promise<HistoryPayload> {
      if (since !== undefined) {
        const { messages, more } = await changedSince(user, since, LIMITS.changesMax);
        return more ? { messages, truncated: true } : { messages };
      }
      if (lastMessageId === undefined) {
        return { messages: await deps.messages.latestMessages(DEFAULT_ROOM, LIMITS.historyDefault) };
      }
      const rooms = await deps.rooms.roomNames(user.userId);
      const rows = await deps.messages.messagesAfterIn(rooms, lastMessageId, LIMITS.gapFillMax + 1);
      return rows.length > LIMITS.gapFillMax
        ? { messages: rows.slice(0, LIMITS.gapFillMax), truncated: true }
        : { messages: rows };
    },

    /** GET /api/changes: the next `limit` changes after `since`; `next` continues from the last one. */
    async changes(user: Identity, query: { since: number; limit: number }): Promise<ChangesResponse> {
      const { messages } = await changedSince(user, query.since, query.limit);
      return { messages, next: messages.at(-1)?.seq ?? query.since };
    },

    /** REST paging in one room the user may read: after / before / around a cursor, or the latest page. */
    async page(user: Identity, query: MessagesQuery): Promise<Message[]> {
      const room = (await deps.rooms.memberRoom(user, query.room ?? DEFAULT_ROOM)).name;
      if (query.after !== undefined) return deps.messages.messagesAfter(room, query.after, query.limit);
      if (query.before !== undefined) return deps.messages.messagesBefore(room, query.before, query.limit);
      if (query.around !== undefined) {
        // half before it, then it and the rest after (more after when there are fewer before)
        const before = await deps.messages.messagesBefore(room, query.around, Math.floor(query.limit / 2));
        const rest = await deps.messages.messagesAfter(room, query.around - 1, query.limit - before.length);
        return [...before, ...rest];
      }
      return deps.messages.latestMessages(room, query.limit);
    },
  };
}
export type MessageService = ReturnType<typeof createMessageService>;
