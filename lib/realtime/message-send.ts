// message:send — validate, store (durably, once per clientId), ack. The broadcast follows the commit
// through the service's message:created event.
import { sendMessageSchema } from "../protocol";
import { acked } from "./acked";
import type { ChatSocket, HandlerDeps } from "./types";

export function registerMessageSend(socket: ChatSocket, deps: HandlerDeps): void {
  socket.on(
    "message:send",
    acked(socket, deps, sendMessageSchema, async (input) => ({
      message: await deps.services.messages.send(socket.data.identity, input),
    })),
  );
}
