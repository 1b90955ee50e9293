// The outbox: messages go out one at a time, in the order they were sent. Each has a clientId made once and
// is re-sent with it until the server acks it (the server stores one row per clientId, so a retry is never
// a duplicate): after a timeout, a lost connection or a retryable refusal, with backoff. Any other refusal
// is final and rejects that message only.
import { sendAckSchema, type ErrorCode, type Message, type MessageAddress, type SendMessageInput } from "../protocol";
import { SendRejectedError, type SessionClosedError } from "./errors";

export interface PendingSend {
  readonly content: string;
  readonly clientId: string;
  readonly target?: MessageAddress | undefined;
  /** the message this one answers */
  readonly replyTo?: number | undefined;
  /** ids of uploaded files it carries */
  readonly files?: readonly string[] | undefined;
}

/** What the outbox needs from the connection. */
export interface OutboxHost {
  /** resolves once connected; rejects when the session closes */
  waitForConnection(): Promise<void>;
  /** emits `message:send` and resolves with the raw ack; rejects on timeout or disconnect */
  emitSend(payload: SendMessageInput): Promise<unknown>;
  closedReason(): SessionClosedError | undefined;
  acked(message: Message, item: PendingSend): void;
  retrying(item: PendingSend, reason: string): void;
}

/** Refusals worth retrying with the same clientId; anything else is final. */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["rate_limited", "internal"]);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const backoffMs = (attempt: number) => Math.min(250 * 2 ** attempt, 5_000);

interface Entry {
  item: PendingSend;
  resolve: (message: Message) => void;
  reject: (err: Error) => void;
}

export class Outbox {
  private readonly queue: Entry[] = [];
  private draining = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly host: OutboxHost) {}

  /** Messages queued or in flight, not yet acked. */
  get size(): number {
    return this.queue.length;
  }

  push(item: PendingSend): Promise<Message> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      void this.drain();
    });
  }

  /** Resolves once the queue is empty. */
  idle(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** The session closed: every queued message is rejected with `reason`. */
  abort(reason: Error): void {
    for (const entry of this.queue.splice(0)) entry.reject(reason);
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let entry = this.queue[0]; entry && !this.host.closedReason(); entry = this.queue[0]) {
        try {
          entry.resolve(await this.deliver(entry.item));
        } catch (err) {
          entry.reject(err instanceof Error ? err : new Error(String(err)));
        }
        if (this.queue[0] === entry) this.queue.shift();
      }
    } finally {
      this.draining = false;
      if (this.queue.length === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async deliver(item: PendingSend): Promise<Message> {
    const payload: SendMessageInput = { content: item.content, clientId: item.clientId, ...item.target };
    if (item.replyTo !== undefined) payload.replyTo = item.replyTo;
    if (item.files?.length) payload.files = [...item.files];
    for (let attempt = 0; ; attempt++) {
      await this.host.waitForConnection();
      let raw: unknown;
      try {
        raw = await this.host.emitSend(payload);
      } catch (err) {
        this.throwIfClosed();
        const timedOut = err instanceof Error && /timed out/i.test(err.message);
        this.host.retrying(item, timedOut ? "no answer from the server" : "connection lost");
        await sleep(backoffMs(attempt));
        continue;
      }
      this.throwIfClosed();
      const ack = sendAckSchema.safeParse(raw);
      if (ack.success && ack.data.ok) {
        this.host.acked(ack.data.message, item);
        return ack.data.message;
      }
      const error =
        ack.success && !ack.data.ok
          ? ack.data.error
          : { code: "internal" as const, detail: "malformed answer from the server" };
      if (!RETRYABLE.has(error.code)) throw new SendRejectedError(error);
      this.host.retrying(item, error.detail);
      await sleep(Math.max(1_000, backoffMs(attempt)));
    }
  }

  private throwIfClosed(): void {
    const closed = this.host.closedReason();
    if (closed) throw closed;
  }
}
