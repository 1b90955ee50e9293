// message:edit / message:delete / reaction:add / reaction:remove — validate, call the service, ack with the
// message as committed. The message:updated broadcast follows the commit through the service's event.
import { deleteMessageSchema, editMessageSchema, reactionInputSchema } from "../protocol";
import { acked } from "./acked";
import type { ChatSocket, HandlerDeps } from "./types";

export function registerMessageActionHandlers(socket: ChatSocket, deps: HandlerDeps): void {
  const actions = deps.services.messageActions;
  const me = socket.data.identity;
  socket.on(
    "message:edit",
    acked(socket, deps, editMessageSchema, async (input) => ({ message: await actions.editMessage(me, input) })),
  );
  socket.on(
    "message:delete",
    acked(socket, deps, deleteMessageSchema, async (input) => ({ message: await actions.deleteMessage(me, input) })),
  );
  socket.on(
    "reaction:add",
    acked(socket, deps, reactionInputSchema, async (input) => ({ message: await actions.addReaction(me, input) })),
  );
  socket.on(
    "reaction:remove",
    acked(socket, deps, reactionInputSchema, async (input) => ({ message: await actions.removeReaction(me, input) })),
  );
}
