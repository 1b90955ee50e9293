// Load-generator clients, as cheap as possible so the generator's one core goes to the measurement:
// - SioClient speaks socket.io v4 (engine.io 4, WebSocket transport only) directly over `ws`: the same
//   wire frames socket.io-client sends, without its per-packet object machinery;
// - RawClient talks to the raw broadcast baseline over the same `ws` library.
// Both report a delivered chat message by its clientId, read straight from the frame bytes (no JSON.parse);
// SioClient also edits and reacts (the latency mix) and reports each `message:updated` by its message id.
import WebSocket from "ws";

const CLIENT_ID_MARK = Buffer.from('"clientId":"');
const MESSAGE_NEW = Buffer.from('42["message:new",');
const MESSAGE_UPDATED = Buffer.from('42["message:updated",');
/** a Message serialises its id first (lib/db/message-rows.ts); anything else is parsed in full */
const ID_FIRST = Buffer.from('{"id":');
const UUID_LENGTH = 36;

/**
 * A connection's own end. An explicit port keeps the ephemeral range free: a port the kernel picks for a
 * bound address is taken for every destination, and for a minute in TIME_WAIT after the close.
 */
export interface LocalEnd {
  address: string;
  port?: number;
}
const localOptions = (local?: LocalEnd) =>
  local ? { localAddress: local.address, ...(local.port ? { localPort: local.port } : {}) } : {};

export const BENCH_CONTENT = "The quick brown fox jumps over the lazy dog; benchmark message body.";

function clientIdIn(frame: Buffer): string | undefined {
  const i = frame.indexOf(CLIENT_ID_MARK);
  if (i < 0) return undefined;
  const start = i + CLIENT_ID_MARK.length;
  return frame.toString("latin1", start, start + UUID_LENGTH);
}

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** An edit or a reaction change of message `id` (its author edits; any member reacts). */
export type ChangeOp =
  { kind: "edit"; id: number; content: string } | { kind: "react" | "unreact"; id: number; emoji: string };

/** The stored message's id from a `message:updated` frame (id first, as the server writes it). */
function updatedIdIn(frame: Buffer): number | undefined {
  const start = MESSAGE_UPDATED.length;
  if (frame.subarray(start, start + ID_FIRST.length).equals(ID_FIRST)) {
    const id = parseInt(frame.toString("latin1", start + ID_FIRST.length, start + ID_FIRST.length + 16), 10);
    if (Number.isSafeInteger(id)) return id;
  }
  const parsed = JSON.parse(frame.toString("utf8", 2)) as [string, { id?: unknown }];
  return typeof parsed[1].id === "number" ? parsed[1].id : undefined;
}

export interface LoadClient {
  /**
   * sends one chat message to `room` tagged with `clientId`; `done(ok, id)` when the server acked (if it
   * acks), with the stored message's id
   */
  sendChat(room: string, clientId: string, done?: (ok: boolean, id?: number) => void): void;
  /** edits or reacts (servers that have message actions only); `done(ok)` on the ack */
  sendChange?(op: ChangeOp, done: (ok: boolean) => void): void;
  /** called with the clientId of every chat message this client receives */
  onDelivery: ((clientId: string) => void) | undefined;
  /** called with the message id of every `message:updated` this client receives */
  onUpdate?: ((messageId: number) => void) | undefined;
  /** chat messages received so far, whether anyone listened or not */
  readonly received: number;
  readonly open: boolean;
  close(): void;
}

type AckWaiter = { resolve: (payload: unknown) => void; reject: (err: Error) => void; timer?: NodeJS.Timeout };

export class SioClient implements LoadClient {
  onDelivery: ((clientId: string) => void) | undefined;
  onUpdate: ((messageId: number) => void) | undefined;
  received = 0;
  /** optional listener for other events (parsed): name and first argument */
  onEvent: ((name: string, payload: unknown) => void) | undefined;
  private nextAck = 0;
  private readonly acks = new Map<number, AckWaiter>();
  private closed = false;

  private constructor(private readonly ws: WebSocket) {}

  get open(): boolean {
    return !this.closed && this.ws.readyState === WebSocket.OPEN;
  }

  /**
   * Connects to `baseUrl` (http://host:port) with handshake auth `{ token }`; rejects on refusal or timeout.
   * `local`: the loopback source address and port (each address gives another port range, for C100K).
   */
  static connect(baseUrl: string, token: string, timeoutMs = 15_000, local?: LocalEnd): Promise<SioClient> {
    const url = `${baseUrl.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`;
    const ws = new WebSocket(url, { perMessageDeflate: false, ...localOptions(local) });
    const client = new SioClient(ws);
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (err?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          ws.terminate();
          reject(err);
        } else resolve(client);
      };
      const timer = setTimeout(() => settle(new Error("socket.io connect timed out")), timeoutMs);
      ws.on("error", (err) => settle(err));
      ws.on("close", () => {
        client.closed = true;
        client.failAcks(new Error("socket closed"));
        settle(new Error("socket closed during connect"));
      });
      ws.on("message", (data) => {
        const frame = toBuffer(data);
        const type = frame[0];
        if (type === 0x32 /* 2 ping */) {
          ws.send("3");
          return;
        }
        if (type === 0x30 /* 0 open */) {
          ws.send(`40${JSON.stringify({ token })}`);
          return;
        }
        if (type !== 0x34 /* 4 message */) return;
        const packet = frame[1];
        if (packet === 0x32 /* 2 event */) client.onEventFrame(frame);
        else if (packet === 0x33 /* 3 ack */) client.onAckFrame(frame);
        else if (packet === 0x30 /* 0 connect */) settle();
        else if (packet === 0x34 /* 4 connect_error */) settle(new Error(`refused: ${frame.toString("utf8", 2)}`));
      });
    });
  }

  private onEventFrame(frame: Buffer): void {
    if (frame.subarray(0, MESSAGE_NEW.length).equals(MESSAGE_NEW)) {
      this.received++;
      const id = clientIdIn(frame);
      if (id && this.onDelivery) this.onDelivery(id);
      return;
    }
    if (frame.subarray(0, MESSAGE_UPDATED.length).equals(MESSAGE_UPDATED)) {
      this.received++;
      const id = this.onUpdate && updatedIdIn(frame);
      if (id !== undefined) this.onUpdate?.(id);
      return;
    }
    if (!this.onEvent) return;
    const start = frame.indexOf(0x5b /* [ */);
    const [name, payload] = JSON.parse(frame.toString("utf8", start)) as [string, unknown];
    this.onEvent(name, payload);
  }

  private onAckFrame(frame: Buffer): void {
    const start = frame.indexOf(0x5b /* [ */);
    const id = Number(frame.toString("latin1", 2, start));
    const waiter = this.acks.get(id);
    if (!waiter) return;
    this.acks.delete(id);
    clearTimeout(waiter.timer);
    waiter.resolve((JSON.parse(frame.toString("utf8", start)) as unknown[])[0]);
  }

  private failAcks(err: Error): void {
    for (const w of this.acks.values()) {
      clearTimeout(w.timer);
      w.reject(err);
    }
    this.acks.clear();
  }

  /** emits `event` with an ack; resolves with the ack's payload */
  request<T = unknown>(event: string, payload: unknown, timeoutMs = 15_000): Promise<T> {
    return new Promise((resolve, reject) => {
      if (!this.open) return reject(new Error("socket is not open"));
      const id = this.nextAck++;
      const waiter: AckWaiter = { resolve: resolve as (p: unknown) => void, reject };
      waiter.timer = setTimeout(() => {
        this.acks.delete(id);
        reject(new Error(`no ack for ${event} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.acks.set(id, waiter);
      this.ws.send(`42${id}${JSON.stringify([event, payload])}`);
    });
  }

  sendChat(room: string, clientId: string, done?: (ok: boolean, id?: number) => void): void {
    if (!this.open) {
      done?.(false);
      return;
    }
    const payload = { room, content: BENCH_CONTENT, clientId };
    if (!done) {
      this.ws.send(`42${JSON.stringify(["message:send", payload])}`);
      return;
    }
    this.request<{ ok: boolean; message?: { id: number } }>("message:send", payload, 30_000).then(
      (ack) => done(ack.ok, ack.message?.id),
      () => done(false),
    );
  }

  sendChange(op: ChangeOp, done: (ok: boolean) => void): void {
    const [event, payload] =
      op.kind === "edit"
        ? ["message:edit", { id: op.id, content: op.content }]
        : [op.kind === "react" ? "reaction:add" : "reaction:remove", { id: op.id, emoji: op.emoji }];
    this.request<{ ok: boolean }>(event, payload, 30_000).then(
      (ack) => done(ack.ok),
      () => done(false),
    );
  }

  close(): void {
    this.closed = true;
    this.failAcks(new Error("closed"));
    this.ws.terminate();
  }
}

export class RawClient implements LoadClient {
  onDelivery: ((clientId: string) => void) | undefined;
  received = 0;
  private constructor(private readonly ws: WebSocket) {}

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  static connect(baseUrl: string, room: string, timeoutMs = 15_000, local?: LocalEnd): Promise<RawClient> {
    const ws = new WebSocket(`${baseUrl}/?room=${encodeURIComponent(room)}`, {
      perMessageDeflate: false,
      ...localOptions(local),
    });
    const client = new RawClient(ws);
    ws.on("message", (data) => {
      client.received++;
      const id = clientIdIn(toBuffer(data));
      if (id && client.onDelivery) client.onDelivery(id);
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error("raw ws connect timed out"));
      }, timeoutMs);
      ws.once("open", () => {
        clearTimeout(timer);
        resolve(client);
      });
      ws.once("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  sendChat(room: string, clientId: string, done?: (ok: boolean) => void): void {
    if (!this.open) {
      done?.(false);
      return;
    }
    this.ws.send(JSON.stringify({ room, content: BENCH_CONTENT, clientId }));
    done?.(true);
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Runs `fn` over `items` with at most `limit` in flight; resolves with the results in order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>) {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
