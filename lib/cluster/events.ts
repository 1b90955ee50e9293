// What the server processes tell each other through socket.io's adapter (serverSideEmit, which rides the
// adapter's Redis request channel): the domain events that originate in one process, for the others to
// hand to their caches and transports; presence changes; and "catch up", after a Redis outage.
import type { ChatEventMap, ChatEventName } from "../services/events";
import type { PresenceDelta } from "./presence";

/** every domain event but `presence` (each process works that out itself from the cluster-wide view) */
export const RELAYED_EVENTS = [
  "message:created",
  "message:updated",
  "session:revoked",
  "membership",
  "read",
  "user:updated",
  "push:subscriptions",
] as const satisfies readonly ChatEventName[];
export type RelayedEventName = (typeof RELAYED_EVENTS)[number];

export type RelayedEvent = { [E in RelayedEventName]: { event: E; args: ChatEventMap[E] } }[RelayedEventName];

export interface ServerSideEvents {
  "chat:event": (relayed: RelayedEvent) => void;
  "presence:delta": (delta: PresenceDelta) => void;
  /** events may have been lost while Redis was unreachable: have your clients catch up */
  "cluster:catch-up": () => void;
}
