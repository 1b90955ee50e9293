// message:edit / message:delete / reaction:add / reaction:remove — validate, call the service, ack with the
// message as committed. The message:updated broadcast follows the commit through the service's event.
import { deleteMessageSchema, editMessageSchema, reactionInputSchema } from "../protocol";
import { acked, type HandlerTable } from "./acked";
import type { HandlerDeps } from "./types";

export function messageActionHandlers(deps: HandlerDeps): HandlerTable {
  const actions = deps.services.messageActions;
  return {
    "message:edit": acked(deps, editMessageSchema, async (socket, input) => ({
      message: await actions.editMessage(socket.data.identity, input),
    })),
    "message:delete": acked(deps, deleteMessageSchema, async (socket, input) => ({
      message: await actions.deleteMessage(socket.data.identity, input),
    })),
    "reaction:add": acked(deps, reactionInputSchema, async (socket, input) => ({
      message: await actions.addReaction(socket.data.identity, input),
    })),
    "reaction:remove": acked(deps, reactionInputSchema, async (socket, input) => ({
      message: await actions.removeReaction(socket.data.identity, input),
    })),
  };
}
