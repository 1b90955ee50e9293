// message:send — validate, store (durably, once per clientId), ack; the broadcast follows the commit through
// the service's message:created event. messages:page — GET /api/messages over the socket: the session is
// known since the handshake, so a page costs one indexed query and no HTTP request.
import { messagesQuerySchema, searchQuerySchema, sendMessageSchema } from "../protocol";
import { acked, type HandlerTable } from "./acked";
import type { HandlerDeps } from "./types";

export function messageHandlers(deps: HandlerDeps): HandlerTable {
  const { messages, search } = deps.services;
  return {
    "message:send": acked(deps, sendMessageSchema, async (socket, input) => ({
      message: await messages.send(socket.data.identity, input),
    })),
    "messages:page": acked(deps, messagesQuerySchema, async (socket, query) => ({
      messages: await messages.page(socket.data.identity, query),
    })),
    // GET /api/search over the socket
    search: acked(deps, searchQuerySchema, (socket, query) => search.search(socket.data.identity, query)),
  };
}
