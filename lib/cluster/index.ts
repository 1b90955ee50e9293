// Many server processes that behave as one (REDIS_URL): the Redis connections, socket.io's Redis adapter,
// the relay of domain events between processes, cluster-wide presence, and catch-up after an outage.
// Without REDIS_URL none of this exists and the server is the single process it always was.
//
// Each process delivers every domain event to its own sockets only (socket.io through `io.local`, /ws as
// always); the events that originate here are relayed once to the other processes, which deliver them to
// theirs. Redis pub/sub loses what is published while a process is cut off from it, so when Redis is back
// every process has its clients reconnect: they catch up from the database by their cursor.
import type { Logger } from "../logger";
import type { ChatServer } from "../realtime/types";
import type { Services } from "../services";
import type { ChatEventMap, ChatEvents } from "../services/events";
import { connectRedis, type RedisConnections } from "./connections";
import { RELAYED_EVENTS, type RelayedEvent } from "./events";
import { createClusterPresence, type ClusterPresence } from "./presence";
import { createRoomOrder, type RoomOrderDeps } from "./room-order";

const PREFIX = "chatterbox:";
/** catch-up requests within this window are one: after a Redis restart every process asks at once */
const CATCH_UP_DEBOUNCE_MS = 300;

/** this process's own events go out once; the others' come in to caches and transports (not to Web Push) */
function relayEvents(io: ChatServer, events: ChatEvents): () => void {
  const undo: (() => void)[] = [];
  for (const event of RELAYED_EVENTS) {
    const relay = (...args: ChatEventMap[typeof event]) =>
      io.serverSideEmit("chat:event", { event, args } as RelayedEvent);
    events.originated.on(event, relay);
    undo.push(() => events.originated.off(event, relay));
  }
  io.on("chat:event", ({ event, args }: RelayedEvent) => {
    (events.relayed as (this: ChatEvents, e: string, ...a: unknown[]) => boolean).call(events, event, ...args);
  });
  return () => undo.forEach((f) => f());
}

/** every local client reconnects (and catches up) shortly after Redis is back, here or in another process */
function catchUpAfterOutages(io: ChatServer, redis: RedisConnections, presence: ClusterPresence, catchUp: () => void) {
  let pending: NodeJS.Timeout | undefined;
  const schedule = () => {
    clearTimeout(pending);
    pending = setTimeout(catchUp, CATCH_UP_DEBOUNCE_MS);
    pending.unref();
  };
  io.on("cluster:catch-up", schedule);
  redis.onRecovered(() => {
    presence.recovered();
    schedule();
    // the others may have missed what this process published while it was cut off
    io.serverSideEmit("cluster:catch-up");
  });
  return () => clearTimeout(pending);
}

export async function createCluster(url: string, logger: Logger) {
  // loaded only when scaled out, like ioredis (connections.ts); first, so a failure leaves no connection open
  const { createAdapter } = await import("@socket.io/redis-adapter");
  const redis = await connectRedis(url, logger);
  let presence: ClusterPresence | undefined;
  const detach: (() => void)[] = [];

  return {
    /** the command connection (throttles) */
    redis: redis.command,
    /** socket.io's adapter over classic Redis pub/sub (docs/SCALING.md says why not sharded or streams) */
    adapter: () => createAdapter(redis.pub, redis.sub, { key: `${PREFIX}socket.io` }),

    /**
     * Links this process to the others once its transports are up. `catchUp` makes every local client
     * reconnect (and so catch up from the database); the rest read a room (room-order.ts).
     */
    attach(
      io: ChatServer,
      services: Services,
      opts: { catchUp: () => void } & Pick<RoomOrderDeps, "messagesAfter" | "messageIdsBetween" | "messagesBefore">,
    ): void {
      const { events } = services;
      events.orderMessages((deliver) =>
        createRoomOrder({
          messagesAfter: opts.messagesAfter,
          messageIdsBetween: opts.messageIdsBetween,
          messagesBefore: opts.messagesBefore,
          startedAt: Date.now(),
          deliver,
          onError: (err) => logger.error({ err }, "delivering a room's messages in order failed"),
        }),
      );
      detach.push(relayEvents(io, events));
      const cp = createClusterPresence({
        redis: redis.command,
        logger,
        prefix: `${PREFIX}presence:`,
        localUsers: () => services.presence.localUsers(),
        changed: (users, gone) => services.presence.elsewhereChanged(users, gone),
        broadcast: (delta) => io.serverSideEmit("presence:delta", delta),
      });
      presence = cp;
      services.presence.setElsewhere(cp.view);
      io.on("presence:delta", (delta) => cp.onDelta(delta));
      void cp.start();
      detach.push(catchUpAfterOutages(io, redis, cp, opts.catchUp));
    },

    /** after the transports closed */
    async close(): Promise<void> {
      for (const undo of detach) undo();
      presence?.close();
      await redis.close();
    },
  };
}
export type Cluster = Awaited<ReturnType<typeof createCluster>>;
