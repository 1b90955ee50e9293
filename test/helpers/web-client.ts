// The real web client (lib/web/chat-client.ts over the client core) run in Node against a test server:
// the same ChatClient the browser runs, given a token transport instead of the page's cookie. Tests read
// its store as the UI would and drop its connection through the core's socket.
import { tokenTransport } from "@/lib/client/transport";
import { DEFAULT_ROOM, type Message } from "@/lib/protocol";
import { ChatClient } from "@/lib/web/chat-client";
import type { ChatState, Timeline } from "@/lib/web/chat-state";
import type { ChatTarget } from "@/lib/web/routes";
import { until } from "./delivery";

export const GENERAL: ChatTarget = { kind: "room", name: DEFAULT_ROOM };

/** What the runs exercised (a property that never reconnects proves little). */
export interface WebClientCounters {
  connects: number;
  /** handshakes that carried lastMessageId: a gap fill */
  gapFills: number;
  /** handshakes that carried since: a catch-up of changes by seq */
  catchUps: number;
}

export const newCounters = (): WebClientCounters => ({ connects: 0, gapFills: 0, catchUps: 0 });

export class WebClientDriver {
  readonly client: ChatClient;
  private readonly stop: () => void;
  unauthorized = false;

  constructor(url: string, token: string, me: string, counters: WebClientCounters = newCounters()) {
    const transport = tokenTransport(url, token);
    const openSocket = transport.openSocket;
    this.client = new ChatClient(me, {
      ...transport,
      openSocket: (auth) =>
        openSocket((cb) =>
          auth((data) => {
            counters.connects++;
            if (data.lastMessageId !== undefined) counters.gapFills++;
            if (data.since !== undefined) counters.catchUps++;
            cb(data);
          }),
        ),
    });
    this.stop = this.client.start(() => (this.unauthorized = true));
  }

  get state(): ChatState {
    return this.client.store.getState();
  }

  get core() {
    const core = this.client.session;
    if (!core) throw new Error("the client is stopped");
    return core;
  }

  timeline(target: ChatTarget = GENERAL): Timeline | undefined {
    return this.state.timelines[target.kind === "room" ? target.name.toLowerCase() : target.peer];
  }

  messages(target: ChatTarget = GENERAL): Message[] {
    return this.timeline(target)?.messages ?? [];
  }

  /** Connects unless connected or connecting (a dropped transport reconnects by itself). */
  connect(): void {
    if (!this.core.socket.connected && !this.core.socket.active) this.core.socket.connect();
  }

  /**
   * The user goes offline (client-side disconnect), or — `drop` — the network dies under a connected
   * socket (possibly before its history) and socket.io reconnects by itself.
   */
  disconnect(drop = false): void {
    if (!drop) this.core.socket.disconnect();
    else if (this.core.socket.connected) this.core.socket.io.engine.close();
  }

  /** Resolves once connected and the latest page of `target` is loaded. */
  async ready(target: ChatTarget = GENERAL, ms = 10_000): Promise<void> {
    this.connect();
    await until(
      () => this.state.connection === "live" && this.timeline(target)?.status === "ready",
      ms,
      () => `not ready: ${this.state.connection}, ${this.timeline(target)?.status}`,
    );
  }

  /** Pages back until the timeline holds the whole conversation. */
  async loadAll(target: ChatTarget = GENERAL, ms = 30_000): Promise<void> {
    this.client.ensureLoaded(target);
    const deadline = Date.now() + ms;
    for (;;) {
      await until(
        () => this.timeline(target)?.status === "ready" && !this.timeline(target)?.loadingOlder,
        Math.max(0, deadline - Date.now()),
        () => `timeline ${this.timeline(target)?.status}`,
      );
      const t = this.timeline(target);
      if (t?.olderError) throw new Error(t.olderError);
      if (!t?.hasOlder) return;
      this.client.loadOlder(target);
    }
  }

  close(): void {
    this.stop();
  }
}
