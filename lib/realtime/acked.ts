// The shape of every socket.io handler: parse the payload with its zod schema, call a service, ack.
// Refusals become `{ ok: false, error }` (or an `error` event when the client gave no ack callback).
import type { z } from "zod";
import { isAppError, toWireError } from "../errors";
import { describeZodError, type Ack, type WireError } from "../protocol";
import type { ChatSocket, HandlerDeps } from "./types";

type AckFn = (result: Ack<object>) => void;

/** socket.io passes the ack as the last argument; a client that sent no payload still gets its answer. */
function splitArgs(args: unknown[]): { payload: unknown; ack: AckFn | undefined } {
  const last = args.at(-1);
  const ack = typeof last === "function" ? (last as AckFn) : undefined;
  return { payload: ack && args.length === 1 ? undefined : args[0], ack };
}

export function acked<S extends z.ZodType, R extends object>(
  socket: ChatSocket,
  { logger, observeAck }: Pick<HandlerDeps, "logger" | "observeAck">,
  schema: S,
  run: (input: z.infer<S>) => Promise<R>,
): (...args: unknown[]) => void {
  return (...args) => {
    const started = performance.now();
    const { payload, ack } = splitArgs(args);
    const refuse = (error: WireError) => {
      if (ack) ack({ ok: false, error });
      else socket.emit("error", { detail: error.detail });
    };
    const parsed = schema.safeParse(payload);
    if (!parsed.success) return refuse({ code: "invalid_input", detail: describeZodError(parsed.error) });
    run(parsed.data).then(
      (result) => {
        ack?.({ ok: true, ...result });
        observeAck?.((performance.now() - started) / 1000);
      },
      (err: unknown) => {
        if (!isAppError(err)) logger.error({ err }, "socket handler failed");
        refuse(toWireError(err));
      },
    );
  };
}
