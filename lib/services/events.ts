// Domain events that transports, caches and background work subscribe to. In one process every event is
// emitted here by the service that caused it. Scaled out (REDIS_URL), lib/cluster relays each event that
// originates here to the other processes, which hand it to their listeners with `relayed`: caches and
// transports (`on`) hear every event wherever it happened; work that must be done once per event (Web Push,
// metrics counters) listens on `originated`, which hears only this process's own.
import { EventEmitter } from "node:events";
import type { Message, ReadMarker, UserProfile } from "../protocol";

export interface ChatEventMap {
  /** a message was stored for the first time */
  "message:created": [Message];
  /** a stored message was edited, deleted or its reactions changed (after the commit): its whole state */
  "message:updated": [Message];
  /** a session was revoked (logout): its sockets must close */
  "session:revoked": [sessionId: number];
  /** a user entered or left a room: their sockets follow */
  membership: [{ userId: number; username: string; room: string; joined: boolean }];
  /** a user's read marker moved: all their sockets update the unread count */
  read: [{ userId: number } & ReadMarker];
  /**
   * a user came online (a first socket anywhere) or went offline (no socket anywhere, after a grace period):
   * worked out by each process from the cluster-wide view, so it is never relayed
   */
  presence: [{ userId: number; username: string; online: boolean }];
  /** a user's display name, status or avatar changed: every socket hears it */
  "user:updated": [UserProfile];
  /** someone's Web Push subscriptions changed: the set of users who have any is stale */
  "push:subscriptions": [];
}

export type ChatEventName = keyof ChatEventMap;

export class ChatEvents extends EventEmitter<ChatEventMap> {
  /** the events that happened in this process, each once: for listeners that act once per event */
  readonly originated = new EventEmitter<ChatEventMap>();
  /** scaled out: new messages reach `on` listeners through this, which keeps each room in id order */
  private order: ((message: Message) => void) | undefined;

  override emit<E extends ChatEventName>(event: E, ...args: ChatEventMap[E]): boolean {
    (this.originated.emit as (e: E, ...a: ChatEventMap[E]) => boolean)(event, ...args);
    return this.relayed(event, ...args);
  }

  /** an event that happened in another process: heard by `on` listeners, not by `originated` ones */
  relayed<E extends ChatEventName>(event: E, ...args: ChatEventMap[E]): boolean {
    if (event === "message:created" && this.order) {
      this.order(args[0] as Message);
      return true;
    }
    return this.deliver(event, ...args);
  }

  /**
   * lib/cluster: `order` is handed every new message (from here or relayed) instead of the `on` listeners,
   * and gives them each room's messages in id order through the returned function
   */
  orderMessages(order: (deliver: (message: Message) => void) => (message: Message) => void): void {
    this.order = order((m) => this.deliver("message:created", m));
  }

  private deliver<E extends ChatEventName>(event: E, ...args: ChatEventMap[E]): boolean {
    return (super.emit as (e: E, ...a: ChatEventMap[E]) => boolean)(event, ...args);
  }

  override removeAllListeners(event?: ChatEventName): this {
    // Node tells "all events" from "this event" by the number of arguments, not by undefined
    if (event === undefined) {
      this.originated.removeAllListeners();
      return super.removeAllListeners();
    }
    this.originated.removeAllListeners(event);
    return super.removeAllListeners(event);
  }
}
