// The web client's delivery logic from lib/web/chat-client.ts without React or a browser, for tests against a real server:
// one socket at a time whose auth carries lastMessageId once something has been seen; history, gap fill,
// live events, acks and REST pages all merged with lib/web/timeline.ts's mergeMessages; a truncated gap
// fill paged over REST; an outbox that (re)sends every "sending" message with its clientId on each connect.
//
// Keep it in step with chat-client.ts: it is what the delivery suite's web-client tests exercise.
import { randomUUID } from "node:crypto";
import { LIMITS, type Message } from "@/lib/protocol";
import { lastId, mergeMessages, settleOutgoing, type Outgoing } from "@/lib/web/timeline";
import { connectSocket, fetchPage } from "./remote";
import { send } from "./socket-utils";
import type { TestSocket } from "./test-server";

export interface WebClientCounters {
  /** histories received on a connection that carried lastMessageId */
  gapFills: number;
  gapFilledMessages: number;
  /** outbox messages (re)sent by a connect */
  outboxSendsOnConnect: number;
  liveEvents: number;
  restPages: number;
}

export const newCounters = (): WebClientCounters => ({
  gapFills: 0,
  gapFilledMessages: 0,
  outboxSendsOnConnect: 0,
  liveEvents: 0,
  restPages: 0,
});

export class WebClientModel {
  /** what the UI shows, in order (useChat's `messages`) */
  messages: Message[] = [];
  /** own messages not yet confirmed (useChat's `outgoing`) */
  outgoing: Outgoing[] = [];
  socket: TestSocket | undefined;
  /** work started and not awaited (REST fetches, deliveries); see settleBackground */
  readonly background = new Set<Promise<unknown>>();
  /** errors the UI would show */
  readonly errors: string[] = [];

  constructor(
    private readonly url: string,
    private readonly token: string,
    readonly counters: WebClientCounters = newCounters(),
    private readonly ackTimeoutMs = 5_000,
  ) {}

  /**
   * chat-client.ts's lastSeenId: the newest id the socket delivered, sent as lastMessageId on every
   * (re)connect. Live messages that come before this connection's history are held back from it.
   */
  private cursor: number | undefined;
  private synced = false;
  private heldBack: number | undefined;
  get lastId(): number | undefined {
    return this.cursor;
  }
  private seen(messages: readonly Message[]): void {
    const newest = lastId([...messages].sort((a, b) => a.id - b.id));
    if (newest === undefined) return;
    if (!this.synced) this.heldBack = Math.max(this.heldBack ?? newest, newest);
    else this.cursor = Math.max(this.cursor ?? newest, newest);
  }

  receive(incoming: Message[]): void {
    if (incoming.length === 0) return;
    this.messages = mergeMessages(this.messages, incoming);
    this.outgoing = settleOutgoing(this.outgoing, incoming);
  }

  /** Runs `work` in the background (errors are collected, never thrown). */
  track(work: Promise<unknown>): Promise<unknown> {
    const p = work.catch((err: unknown) => this.errors.push(err instanceof Error ? err.message : String(err)));
    this.background.add(p);
    void p.finally(() => this.background.delete(p));
    return p;
  }

  /**
   * Connects (unless connected). Resolves once this connection's history has been merged, or — with
   * `awaitHistory: false` — as soon as the socket is connected.
   */
  async connect({ awaitHistory = true }: { awaitHistory?: boolean } = {}): Promise<void> {
    if (this.socket?.connected) return;
    const last = this.lastId;
    this.synced = false;
    this.heldBack = undefined;
    const socket = connectSocket(
      this.url,
      last === undefined ? { token: this.token } : { token: this.token, lastMessageId: last },
      { autoConnect: false },
    );
    this.socket = socket;
    const history = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no history within 10 s")), 10_000);
      socket.on("history", ({ messages, truncated }) => {
        clearTimeout(timer);
        if (last !== undefined) {
          this.counters.gapFills++;
          this.counters.gapFilledMessages += messages.length;
        }
        this.synced = true;
        this.seen(messages);
        if (this.heldBack !== undefined) this.seen([{ id: this.heldBack } as Message]);
        this.receive(messages);
        resolve();
        if (!truncated) return;
        // more was missed than the server sends at once: page the rest over REST
        void this.track(
          (async () => {
            for (let after = lastId(messages) ?? 0; ;) {
              const page = await fetchPage(this.url, this.token, { after, limit: LIMITS.pageMax });
              this.seen(page);
              this.receive(page);
              if (page.length < LIMITS.pageMax) break;
              after = lastId(page) ?? after;
            }
          })(),
        );
      });
      socket.on("disconnect", () => {
        clearTimeout(timer);
        resolve(); // a connection that ends before its history: nothing more will come on it
      });
      socket.on("connect_error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    const connected = new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    socket.on("message:new", (m) => {
      this.counters.liveEvents++;
      this.seen([m]);
      this.receive([m]);
    });
    socket.on("error", ({ detail }) => this.errors.push(`server error event: ${detail}`));
    socket.on("connect", () => {
      for (const item of this.outgoing) {
        if (item.state !== "sending") continue;
        this.counters.outboxSendsOnConnect++;
        void this.track(this.deliver(item));
      }
    });
    socket.connect();
    if (awaitHistory) await history;
    else await Promise.race([connected, history]);
  }

  /** The user leaves (client-side disconnect), or — `drop` — the transport dies (network loss). */
  disconnect(drop = false): void {
    const socket = this.socket;
    if (!socket) return;
    if (drop) socket.io.engine.close();
    socket.disconnect();
    this.socket = undefined;
  }

  async deliver(item: Outgoing): Promise<void> {
    const socket = this.socket;
    if (!socket?.connected) return; // retried on the next connect
    try {
      const ack = await send(socket, { content: item.content, clientId: item.clientId }, this.ackTimeoutMs);
      if (ack.ok) {
        this.seen([ack.message]);
        this.receive([ack.message]);
      } else {
        this.outgoing = this.outgoing.map((o) =>
          o.clientId === item.clientId ? { ...o, state: "failed", error: ack.error.detail } : o,
        );
        this.errors.push(`send refused: ${ack.error.detail}`);
      }
    } catch {
      // no ack (disconnected or timed out): still "sending"; the next connect retries with the same clientId
    }
  }

  /** useChat's send: a new clientId, into the outbox, delivered now if connected. */
  sendMessage(content: string): void {
    const item: Outgoing = { clientId: randomUUID(), content, state: "sending" };
    this.outgoing = [...this.outgoing, item];
    void this.track(this.deliver(item));
  }

  /** One REST page `?after=…&limit=…`, merged (in the background; await the result to wait). */
  restPage(after: number, limit: number): Promise<unknown> {
    this.counters.restPages++;
    return this.track(fetchPage(this.url, this.token, { after, limit }).then((page) => this.receive(page)));
  }

  /** The whole room over REST from the start, merged page by page. */
  fullHistory(): Promise<unknown> {
    return this.track(
      (async () => {
        for (let after = 0; ;) {
          this.counters.restPages++;
          const page = await fetchPage(this.url, this.token, { after, limit: LIMITS.pageMax });
          this.receive(page);
          if (page.length < LIMITS.pageMax) return;
          after = lastId(page) ?? after;
        }
      })(),
    );
  }

  /** Waits for every background task, including ones started meanwhile. */
  async settleBackground(): Promise<void> {
    while (this.background.size > 0) await Promise.all([...this.background]);
  }

  close(): void {
    this.socket?.disconnect();
    this.socket = undefined;
  }
}
