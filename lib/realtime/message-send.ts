// message:send — validate, store (durably, once per clientId), ack. The broadcast follows the commit
// through the service's message:created event.
import { toWireError } from "../errors";
import { describeZodError, sendMessageSchema, type ClientToServerEvents } from "../protocol";
import type { ChatSocket, HandlerDeps } from "./types";

export function registerMessageSend(socket: ChatSocket, { services, logger }: HandlerDeps): void {
  const handler: ClientToServerEvents["message:send"] = (...args: unknown[]) => {
    // the ack is the last argument; a client that sent no payload at all still gets its answer
    const last = args.at(-1);
    const ack = typeof last === "function" ? (last as Parameters<ClientToServerEvents["message:send"]>[1]) : undefined;
    const payload = args[0] === last && ack ? undefined : args[0];
    const reply = ack ?? (() => undefined);
    const parsed = sendMessageSchema.safeParse(payload);
    if (!parsed.success) {
      const detail = describeZodError(parsed.error);
      if (!ack) socket.emit("error", { detail });
      reply({ ok: false, error: { code: "invalid_input", detail } });
      return;
    }
    services.messages.send(socket.data.identity, parsed.data).then(
      (message) => reply({ ok: true, message }),
      (err: unknown) => {
        logger.error({ err }, "message:send failed");
        reply({ ok: false, error: toWireError(err) });
      },
    );
  };
  socket.on("message:send", handler);
}
