// The shape of every socket.io handler: parse the payload with its zod schema, call a service, ack.
// Refusals become `{ ok: false, error }` (or an `error` event when the client gave no ack callback).
import type { z } from "zod";
import { isAppError, toWireError } from "../errors";
import { describeZodError, type Ack, type WireError } from "../protocol";
import type { ClientToServerEvents } from "../protocol";
import type { ChatSocket, HandlerDeps } from "./types";

/**
 * A listener shared by every socket: socket.io calls it with `this` set to the socket (an EventEmitter), so
 * a connection costs one reference per event rather than a closure (and its context) per handler — with
 * tens of thousands of idle connections that is most of their memory beyond socket.io's own.
 */
export type SharedListener = (this: ChatSocket, ...args: unknown[]) => void;
export type HandlerTable = Partial<Record<keyof ClientToServerEvents, SharedListener>>;

/** registers a table built once per server on one socket */
export function listen(socket: ChatSocket, handlers: ReadonlyArray<[string, SharedListener]>): void {
  const emitter = socket as unknown as { on(event: string, listener: SharedListener): unknown };
  for (const [event, listener] of handlers) emitter.on(event, listener);
}

type AckFn = (result: Ack<object>) => void;

/** socket.io passes the ack as the last argument; a client that sent no payload still gets its answer. */
function splitArgs(args: unknown[]): { payload: unknown; ack: AckFn | undefined } {
  const last = args.at(-1);
  const ack = typeof last === "function" ? (last as AckFn) : undefined;
  return { payload: ack && args.length === 1 ? undefined : args[0], ack };
}

export function acked<S extends z.ZodType, R extends object>(
  { logger, observeAck }: Pick<HandlerDeps, "logger" | "observeAck">,
  schema: S,
  run: (socket: ChatSocket, input: z.infer<S>) => Promise<R>,
): SharedListener {
  return function (this: ChatSocket, ...args) {
    const socket = this; // eslint-disable-line @typescript-eslint/no-this-alias -- the socket, as socket.io calls it
    const started = performance.now();
    const { payload, ack } = splitArgs(args);
    const refuse = (error: WireError) => {
      if (ack) ack({ ok: false, error });
      else socket.emit("error", { detail: error.detail });
    };
    const parsed = schema.safeParse(payload);
    if (!parsed.success) return refuse({ code: "invalid_input", detail: describeZodError(parsed.error) });
    run(socket, parsed.data).then(
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
