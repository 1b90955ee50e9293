// Edit, delete and react: what people do to messages already sent. Knows nothing of HTTP or sockets. Each
// change is committed through the writer's queue and announced once, after the commit; one that changes
// nothing (the same content, a reaction already there) is answered with the message as it is. A deleted
// message takes no action at all, a repeated delete included: `not_found` (SPEC.md "Message actions").
import type { Changed, MessageRecord } from "../db/data-layer";
import { AppError } from "../errors";
import type { Message } from "../protocol";
import type { Identity } from "./auth";
import type { MessageDeps } from "./messages";

export function createMessageActions(deps: MessageDeps) {
  const notFound = (id: number) => new AppError("not_found", `No message ${id}`);

  /** The message, if `user` may read its room; a room they cannot read hides it as not found. */
  async function readable(user: Identity, id: number): Promise<MessageRecord> {
    const found = await deps.messages.findMessage(id);
    if (!found) throw notFound(id);
    await deps.rooms.memberRoom(user, found.message.room).catch(() => {
      throw notFound(id);
    });
    return found;
  }

  /** A live (not deleted) message `user` may read, after the throttle. */
  async function live(user: Identity, id: number): Promise<MessageRecord> {
    await deps.throttles.message(user.userId);
    const found = await readable(user, id);
    if (found.message.deleted) throw notFound(id);
    return found;
  }

  /** null from the writer: deleted since it was checked */
  function announce(id: number, result: Changed | null): Message {
    if (!result) throw notFound(id);
    if (result.changed) deps.events.emit("message:updated", result.message);
    return result.message;
  }

  return {
    readable,

    /** The author only; content as for sending (the transport has validated it). */
    async editMessage(user: Identity, input: { id: number; content: string }): Promise<Message> {
      const { authorId, message } = await live(user, input.id);
      if (authorId !== user.userId) throw new AppError("forbidden", "Only its author can edit a message");
      // the hook's maker may delete its post, but not put words in the bot's mouth
      if (message.bot) throw new AppError("forbidden", "A webhook's message cannot be edited");
      const mentions = await deps.rooms.mentionsIn(message.room, input.content, deps.online);
      return announce(input.id, await deps.messages.editMessage(input.id, user.userId, input.content, mentions));
    },

    /** The author or an admin; a message already deleted is not found. */
    async deleteMessage(user: Identity, input: { id: number }): Promise<Message> {
      const { authorId } = await live(user, input.id);
      // an admin may delete anyone's; asked of the database now, not of a socket's identity from its handshake
      if (authorId !== user.userId && !(await deps.isAdmin(user.userId))) {
        throw new AppError("forbidden", "Only its author or an admin can delete a message");
      }
      return announce(input.id, await deps.messages.deleteMessage(input.id));
    },

    /** Any member of the room; adding twice changes nothing. */
    async addReaction(user: Identity, input: { id: number; emoji: string }): Promise<Message> {
      await live(user, input.id);
      return announce(input.id, await deps.messages.addReaction(input.id, user, input.emoji));
    },

    /** Removing what is not there changes nothing. */
    async removeReaction(user: Identity, input: { id: number; emoji: string }): Promise<Message> {
      await live(user, input.id);
      return announce(input.id, await deps.messages.removeReaction(input.id, user.userId, input.emoji));
    },
  };
}
export type MessageActions = ReturnType<typeof createMessageActions>;
