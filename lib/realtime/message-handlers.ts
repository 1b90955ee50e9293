// message:send — validate, store (durably, once per clientId), ack; the broadcast follows the commit through
// the service's message:created event. messages:page — GET /api/messages over the socket: the session is
// known since the handshake, so a page costs one indexed query and no HTTP request.
import { messagesQuerySchema, searchQuerySchema, sendMessageSchema } from "../protocol";
import { acked } from "./acked";
import type { ChatSocket, HandlerDeps } from "./types";

export function registerMessageHandlers(socket: ChatSocket, deps: HandlerDeps): void {
  const { messages } = deps.services;
  socket.on(
    "message:send",
    acked(socket, deps, sendMessageSchema, async (input) => ({
      message: await messages.send(socket.data.identity, input),
    })),
  );
  socket.on(
    "messages:page",
    acked(socket, deps, messagesQuerySchema, async (query) => ({
      messages: await messages.page(socket.data.identity, query),
    })),
  );
  // GET /api/search over the socket
  socket.on(
    "search",
    acked(socket, deps, searchQuerySchema, (query) => deps.services.search.search(socket.data.identity, query)),
  );
}
